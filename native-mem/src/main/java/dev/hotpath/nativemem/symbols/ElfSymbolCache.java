package dev.hotpath.nativemem.symbols;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ELF symbol tables shared by every {@link NativeSymbolizer} of one analysis: a run directory holds one jemalloc
 * profile per interval, all mapping the same libjvm, libz and libc, and reading libjvm's {@code .symtab} costs far
 * more than symbolizing a profile's few hundred stacks. Keyed by (path, size, mtime) so that a library replaced on
 * disk between two profiles (a package upgrade) is read again rather than answered from the old table.
 *
 * <p>Thread-safe: the analyzer ingests artifacts in parallel; each file is read at most once per key.
 */
public final class ElfSymbolCache {
    private record Key(Path file, long size, long mtimeNanos) {
    }

    private final ConcurrentHashMap<Key, ElfSymbols> tables = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    /** @return the file's symbols, or an empty table when it is not a readable regular file or not ELF64 LE */
    public ElfSymbols get(Path file) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException | SecurityException e) {
            return ElfSymbols.empty();
        }
        if (!a.isRegularFile()) {
            return ElfSymbols.empty();
        }
        Key k = new Key(file.toAbsolutePath().normalize(), a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
        return tables.computeIfAbsent(k, key -> {
            reads.incrementAndGet();
            return ElfSymbols.read(key.file());
        });
    }

    /** How many times a file was read and parsed (tests check that a run directory's profiles share the tables). */
    public int reads() {
        return reads.get();
    }
}
