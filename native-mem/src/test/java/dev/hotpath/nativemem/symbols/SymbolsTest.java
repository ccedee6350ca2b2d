package dev.hotpath.nativemem.symbols;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SymbolsTest {
    @Test
    void demanglesNestedNamesWithoutParameters() {
        assertThat(Demangler.demangle("_ZN2os6mallocEm8MEMFLAGS")).isEqualTo("os::malloc");
        assertThat(Demangler.demangle("_ZN5Arena4growEmN17AllocFailStrategy13AllocFailEnumE")).isEqualTo("Arena::grow");
        assertThat(Demangler.demangle("_ZN8G1RemSetC2EP15G1CollectedHeap")).isEqualTo("G1RemSet::G1RemSet");
        assertThat(Demangler.demangle("_Z13universe_initv")).isEqualTo("universe_init");
        assertThat(Demangler.demangle("deflateInit2_")).isEqualTo("deflateInit2_");
    }

    @Test
    void parsesMapsLinesAndFindsRegions() {
        ProcMaps maps = ProcMaps.parse(List.of(
                "7f0000000000-7f0000010000 r--p 00000000 fe:00 11 /usr/lib/x86_64-linux-gnu/libz.so.1.2.13",
                "7f0000010000-7f0000020000 r-xp 00002000 fe:00 11 /usr/lib/x86_64-linux-gnu/libz.so.1.2.13",
                "7f0000030000-7f0000040000 rw-p 00000000 00:00 0 ",
                "not a maps line"));
        assertThat(maps.size()).isEqualTo(3);
        MapRegion r = maps.find(0x7f0000010010L);
        assertThat(r).isEqualTo(new MapRegion(0x7f0000010000L, 0x7f0000020000L, "r-xp", 0x2000,
                "/usr/lib/x86_64-linux-gnu/libz.so.1.2.13"));
        assertThat(r.libraryName()).isEqualTo("libz.so.1.2.13");
        assertThat(r.executable()).isTrue();
        assertThat(maps.find(0x7f0000020000L)).isNull();
        assertThat(maps.find(0x7f0000030000L).path()).isEmpty();
    }

    @Test
    void symbolizesLiveLibzFunctionsThroughThisProcessMaps() throws Exception {
        // this JVM has libzip and libz mapped; the address of deflateInit2_'s symbol, relocated, must resolve back to it
        new java.util.zip.Deflater().end();
        ProcMaps maps = ProcMaps.parse(Files.readAllLines(Path.of("/proc/self/maps")));
        MapRegion libz = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (line.contains("/libz.so") && line.contains("r-xp")) {
                libz = ProcMaps.parseLine(line);
            }
        }
        assertThat(libz).as("libz mapped executable").isNotNull();
        ElfSymbols syms = ElfSymbols.read(Path.of(libz.path()));
        assertThat(syms.size()).isGreaterThan(50);
        // walk the text mapping and check that deflateInit2_ appears with a consistent address round trip
        NativeSymbolizer sym = new NativeSymbolizer(maps);
        boolean found = false;
        for (long a = libz.start(); a < libz.end() && !found; a += 16) {
            NativeFrame f = sym.symbolize(a, false);
            if ("deflateInit2_".equals(f.function())) {
                found = true;
                assertThat(f.library()).startsWith("libz.so");
                assertThat(f.toString()).startsWith("deflateInit2_ (libz.so");
            }
        }
        assertThat(found).isTrue();
        assertThat(sym.symbolize(0x10, false)).isEqualTo(new NativeFrame(0x10, null, ""));
    }

    @Test
    void cachedTablesAreKeyedBySizeAndMtimeSoAReplacedLibraryIsReadAgain() throws Exception {
        Path libz = null;
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (line.contains("/libz.so")) {
                libz = Path.of(ProcMaps.parseLine(line).path());
            }
        }
        assertThat(libz).as("libz mapped").isNotNull();
        Path copy = Files.createTempFile("libz-copy", ".so");
        try {
            Files.copy(libz, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            ElfSymbolCache cache = new ElfSymbolCache();
            ElfSymbols first = cache.get(copy);
            assertThat(first.size()).isEqualTo(ElfSymbols.read(libz).size()).isGreaterThan(50);
            assertThat(cache.get(copy)).isSameAs(first);
            assertThat(cache.reads()).isEqualTo(1);
            // replaced in place (same path, new mtime): read again, not answered from the old table
            Files.setLastModifiedTime(copy, java.nio.file.attribute.FileTime.fromMillis(
                    Files.getLastModifiedTime(copy).toMillis() - 60_000));
            assertThat(cache.get(copy)).isNotSameAs(first);
            assertThat(cache.reads()).isEqualTo(2);
            // a file that is gone has no symbols, and costs no read
            Files.delete(copy);
            assertThat(cache.get(copy).size()).isZero();
            assertThat(cache.reads()).isEqualTo(2);
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    @Test
    void nonElfFileHasNoSymbols() throws Exception {
        Path f = Files.createTempFile("not-elf", ".so");
        try {
            Files.writeString(f, "hello");
            assertThat(ElfSymbols.read(f).size()).isZero();
            assertThat(ElfSymbols.read(f).functionAt(0x1000)).isNull();
        } finally {
            Files.delete(f);
        }
    }
}
