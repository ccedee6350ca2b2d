package dev.hotpath.alloc.catalog;

import dev.hotpath.analyzer.model.UnusableInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllocatorCatalogTest {
    @TempDir
    Path dir;

    @Test
    void builtInsResolveToTheDebianLibrariesInstalledHere() throws Exception {
        AllocatorCatalog catalog = AllocatorCatalog.load(null, false, LibraryLocator.system());
        List<ResolvedVariant> r = catalog.resolve(List.of("glibc", "glibc-arena2", "jemalloc", "jemalloc-tuned", "tcmalloc", "mimalloc"));
        assertThat(r.get(0).library()).isNull();
        assertThat(r.get(1).library()).isNull();
        assertThat(r.get(1).env()).isEqualTo(Map.of("MALLOC_ARENA_MAX", "2"));
        assertThat(r.get(2).library().getFileName()).hasToString("libjemalloc.so.2");
        assertThat(r.get(3).env()).isEqualTo(Map.of("MALLOC_CONF", "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0"));
        assertThat(r.get(4).library().getFileName()).hasToString("libtcmalloc_minimal.so.4");
        assertThat(r.get(5).library().getFileName()).hasToString("libmimalloc.so.2");
        for (ResolvedVariant v : r.subList(2, 6)) {
            assertThat(v.library()).isAbsolute().isRegularFile();
        }
        assertThat(dev.hotpath.alloc.run.AllocatorStatsFormat.forLibrary(r.get(2).library())).isNotNull();
        assertThat(dev.hotpath.alloc.run.AllocatorStatsFormat.forLibrary(null)).isNull();
    }

    @Test
    void ldconfigCacheKeepsThisMachinesWordSize() {
        Map<String, Path> m = LibraryLocator.parseLdconfig(List.of(
                "1234 libs found in cache `/etc/ld.so.cache'",
                "\tlibjemalloc.so.2 (libc6,x86-64) => /lib/x86_64-linux-gnu/libjemalloc.so.2",
                "\tlibjemalloc.so.2 (libc6) => /lib/i386-linux-gnu/libjemalloc.so.2",
                "\tlibmimalloc.so.2 (libc6,x86-64) => /lib/x86_64-linux-gnu/libmimalloc.so.2"), true);
        assertThat(m).containsExactly(
                Map.entry("libjemalloc.so.2", Path.of("/lib/x86_64-linux-gnu/libjemalloc.so.2")),
                Map.entry("libmimalloc.so.2", Path.of("/lib/x86_64-linux-gnu/libmimalloc.so.2")));
    }

    @Test
    void missingBuiltInNamesTheDebianPackage() throws Exception {
        LibraryLocator nowhere = new LibraryLocator(Map.of(), List.of(dir));
        AllocatorCatalog catalog = AllocatorCatalog.load(null, false, nowhere);
        assertThatThrownBy(() -> catalog.resolve(List.of("glibc", "tcmalloc")))
                .isInstanceOf(UnusableInputException.class)
                .hasMessage("libtcmalloc_minimal.so.4: allocator variant 'tcmalloc' is not installed (not in the loader "
                        + "cache (ldconfig -p) nor in " + dir + "); install it with: apt-get install libtcmalloc-minimal4");
    }

    @Test
    void customVariantsComeFromThePropertiesFile() throws Exception {
        Path cfg = dir.resolve("allocators.properties");
        Files.writeString(cfg, String.join("\n",
                "# custom allocators",
                "je-nodecay.library = /nonexistent/x.so, libjemalloc.so.2",
                "je-nodecay.env.MALLOC_CONF = dirty_decay_ms:0,muzzy_decay_ms:0",
                "je-nodecay.description = jemalloc purging at once",
                "glibc-trim.env.MALLOC_TRIM_THRESHOLD_ = 131072",
                "broken.library = " + dir.resolve("libnothere.so"),
                ""));
        AllocatorCatalog catalog = AllocatorCatalog.load(cfg, true, LibraryLocator.system());
        assertThat(catalog.variants()).extracting(AllocatorVariant::name).containsExactly(
                "glibc", "glibc-arena2", "jemalloc", "jemalloc-tuned", "tcmalloc", "mimalloc", "broken", "glibc-trim", "je-nodecay");
        List<ResolvedVariant> r = catalog.resolve(List.of("je-nodecay", "glibc-trim"));
        assertThat(r.get(0).library().getFileName()).hasToString("libjemalloc.so.2");
        assertThat(r.get(0).env()).containsExactly(Map.entry("MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0"));
        assertThat(r.get(0).variant().origin()).isEqualTo(cfg.toString());
        assertThat(r.get(1).library()).isNull();
        assertThat(r.get(1).env()).containsExactly(Map.entry("MALLOC_TRIM_THRESHOLD_", "131072"));

        assertThatThrownBy(() -> catalog.resolve(List.of("broken")))
                .isInstanceOf(UnusableInputException.class)
                .hasMessage(dir.resolve("libnothere.so") + ": allocator variant 'broken' is not installed (no such file); "
                        + "fix 'broken.library' in " + cfg);
        assertThatThrownBy(() -> catalog.resolve(List.of("jemaloc")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown allocator variant 'jemaloc' (known: glibc, glibc-arena2, jemalloc, jemalloc-tuned, "
                        + "tcmalloc, mimalloc, broken, glibc-trim, je-nodecay)");
    }

    @Test
    void badConfigIsOneLineNamingTheFileAndKey() throws Exception {
        Path cfg = dir.resolve("bad.properties");
        Files.writeString(cfg, "je.libary = libjemalloc.so.2\n");
        assertThatThrownBy(() -> AllocatorCatalog.load(cfg, true, LibraryLocator.system()))
                .isInstanceOf(UnusableInputException.class)
                .hasMessage(cfg + ": unknown key 'je.libary' (expected NAME.library, NAME.env.VAR, NAME.package or NAME.description)");
        Path missing = dir.resolve("nope.properties");
        assertThatThrownBy(() -> AllocatorCatalog.load(missing, true, LibraryLocator.system()))
                .hasMessage(missing + ": allocator config file does not exist");
        assertThat(AllocatorCatalog.load(missing, false, LibraryLocator.system()).variants()).hasSize(6);
    }
}
