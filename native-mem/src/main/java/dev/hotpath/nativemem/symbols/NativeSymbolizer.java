package dev.hotpath.nativemem.symbols;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns addresses of one process into {@link NativeFrame}s with the process's maps and the ELF symbol tables of the
 * mapped files, read from disk (so the files must still be the ones that were mapped — true for a JDK and system
 * libraries on the machine that made the profile). Addresses in unwound stacks are return addresses, so callers pass
 * {@code returnAddress=true} for all but the innermost frame and the lookup uses {@code address - 1}, which keeps a
 * call at a function's very end from being attributed to the next function.
 *
 * <p>Caches one {@link ElfSymbols} per file. Not thread-safe.
 */
public final class NativeSymbolizer {
    private final ProcMaps maps;
    private final Path root;
    private final Map<String, ElfSymbols> cache = new HashMap<>();

    public NativeSymbolizer(ProcMaps maps) {
        this(maps, Path.of("/"));
    }

    /** @param root prefix for mapped paths (a container's root file system seen from outside); "/" normally */
    public NativeSymbolizer(ProcMaps maps, Path root) {
        this.maps = maps;
        this.root = root;
    }

    public NativeFrame symbolize(long address, boolean returnAddress) {
        long lookup = returnAddress ? address - 1 : address;
        MapRegion r = maps.find(lookup);
        if (r == null) {
            return new NativeFrame(address, null, "");
        }
        if (!r.fileBacked()) {
            return new NativeFrame(address, null, r.path());
        }
        ElfSymbols syms = cache.computeIfAbsent(r.path(), p -> {
            Path f;
            try {
                f = root.resolve(p.substring(1));
            } catch (java.nio.file.InvalidPathException notAPath) {
                // a damaged maps line (a NUL in the path; analyzer corpus jemallocProfile/crash-nul-in-library-path)
                return ElfSymbols.empty();
            }
            return Files.isRegularFile(f) ? ElfSymbols.read(f) : ElfSymbols.empty();
        });
        long fileOffset = lookup - r.start() + r.offset();
        String fn = syms.functionAt(syms.vaddrOfFileOffset(fileOffset));
        return new NativeFrame(address, Demangler.demangle(fn), r.libraryName());
    }
}
