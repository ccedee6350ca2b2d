package dev.hotpath.nativemem.symbols;

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
 * <p>Remembers the table of each mapped path it has met; the tables themselves come from an {@link ElfSymbolCache}
 * that symbolizers of the same analysis share. Not thread-safe (the shared cache is).
 */
public final class NativeSymbolizer {
    private final ProcMaps maps;
    private final Path root;
    private final ElfSymbolCache files;
    private final Map<String, ElfSymbols> byPath = new HashMap<>();

    /** A symbolizer with a cache of its own. */
    public NativeSymbolizer(ProcMaps maps) {
        this(maps, Path.of("/"), new ElfSymbolCache());
    }

    /** @param files symbol tables shared with the other symbolizers of this analysis */
    public NativeSymbolizer(ProcMaps maps, ElfSymbolCache files) {
        this(maps, Path.of("/"), files);
    }

    /** @param root prefix for mapped paths (a container's root file system seen from outside); "/" normally */
    public NativeSymbolizer(ProcMaps maps, Path root, ElfSymbolCache files) {
        this.maps = maps;
        this.root = root;
        this.files = files;
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
        ElfSymbols syms = byPath.computeIfAbsent(r.path(), p -> {
            Path f;
            try {
                f = root.resolve(p.substring(1));
            } catch (java.nio.file.InvalidPathException notAPath) {
                // a damaged maps line (a NUL in the path; analyzer corpus jemallocProfile/crash-nul-in-library-path)
                return ElfSymbols.empty();
            }
            return files.get(f);
        });
        long fileOffset = lookup - r.start() + r.offset();
        String fn = syms.functionAt(syms.vaddrOfFileOffset(fileOffset));
        return new NativeFrame(address, Demangler.demangle(fn), r.libraryName());
    }
}
