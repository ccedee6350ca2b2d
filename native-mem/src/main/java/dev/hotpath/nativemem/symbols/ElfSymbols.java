package dev.hotpath.nativemem.symbols;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Function symbols of one ELF64 little-endian file ({@code .symtab} when not stripped, plus {@code .dynsym}), and its
 * {@code PT_LOAD} segments for turning a file offset into the virtual address symbols are expressed in. Per the
 * System V gABI: section headers at {@code e_shoff}, 64-byte entries; symbols 24 bytes ({@code st_name},
 * {@code st_info}, {@code st_other}, {@code st_shndx}, {@code st_value}, {@code st_size}).
 *
 * <p>Kept as three parallel arrays sorted by address. Immutable after construction; thread-safe.
 */
public final class ElfSymbols {
    private static final int SHT_SYMTAB = 2;
    private static final int SHT_DYNSYM = 11;
    private static final int STT_FUNC = 2;
    private static final int STT_GNU_IFUNC = 10;
    private static final int PT_LOAD = 1;

    private final long[] addr;
    private final long[] size;
    private final String[] name;
    private final long[] loadOffset;
    private final long[] loadVaddr;
    private final long[] loadFilesz;

    private ElfSymbols(long[] addr, long[] size, String[] name, long[] loadOffset, long[] loadVaddr, long[] loadFilesz) {
        this.addr = addr;
        this.size = size;
        this.name = name;
        this.loadOffset = loadOffset;
        this.loadVaddr = loadVaddr;
        this.loadFilesz = loadFilesz;
    }

    /** @return the symbols, or an empty table if the file is not a readable ELF64 little-endian file */
    public static ElfSymbols read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            b.order(ByteOrder.LITTLE_ENDIAN);
            return parse(b);
        } catch (IOException | RuntimeException e) {
            return empty();
        }
    }

    static ElfSymbols empty() {
        return new ElfSymbols(new long[0], new long[0], new String[0], new long[0], new long[0], new long[0]);
    }

    private static ElfSymbols parse(MappedByteBuffer b) {
        if (b.limit() < 64 || b.getInt(0) != 0x464c457f || b.get(4) != 2 || b.get(5) != 1) {
            return empty();
        }
        long phoff = b.getLong(0x20);
        long shoff = b.getLong(0x28);
        int phentsize = Short.toUnsignedInt(b.getShort(0x36));
        int phnum = Short.toUnsignedInt(b.getShort(0x38));
        int shentsize = Short.toUnsignedInt(b.getShort(0x3A));
        int shnum = Short.toUnsignedInt(b.getShort(0x3C));

        int loads = 0;
        long[] lo = new long[phnum];
        long[] lv = new long[phnum];
        long[] lf = new long[phnum];
        for (int i = 0; i < phnum; i++) {
            int p = (int) (phoff + (long) i * phentsize);
            if (b.getInt(p) == PT_LOAD) {
                lo[loads] = b.getLong(p + 8);
                lv[loads] = b.getLong(p + 16);
                lf[loads] = b.getLong(p + 32);
                loads++;
            }
        }

        int count = 0;
        long[] a = new long[1024];
        long[] s = new long[1024];
        String[] n = new String[1024];
        for (int i = 0; i < shnum; i++) {
            int sh = (int) (shoff + (long) i * shentsize);
            int type = b.getInt(sh + 4);
            if (type != SHT_SYMTAB && type != SHT_DYNSYM) {
                continue;
            }
            long off = b.getLong(sh + 24);
            long secSize = b.getLong(sh + 32);
            int link = b.getInt(sh + 40);
            long entsize = b.getLong(sh + 56);
            int strSh = (int) (shoff + (long) link * shentsize);
            long strOff = b.getLong(strSh + 24);
            long strSize = b.getLong(strSh + 32);
            if (entsize < 24) {
                continue;
            }
            for (long e = off; e + 24 <= off + secSize; e += entsize) {
                int p = (int) e;
                int info = b.get(p + 4) & 0xf;
                long value = b.getLong(p + 8);
                if ((info != STT_FUNC && info != STT_GNU_IFUNC) || value == 0) {
                    continue;
                }
                int nameIdx = b.getInt(p);
                if (nameIdx <= 0 || nameIdx >= strSize) {
                    continue;
                }
                if (count == a.length) {
                    a = Arrays.copyOf(a, count * 2);
                    s = Arrays.copyOf(s, count * 2);
                    n = Arrays.copyOf(n, count * 2);
                }
                a[count] = value;
                s[count] = b.getLong(p + 16);
                n[count] = cString(b, (int) (strOff + nameIdx));
                count++;
            }
        }
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        final long[] fa = a;
        Arrays.sort(order, (x, y) -> Long.compareUnsigned(fa[x], fa[y]));
        long[] sa = new long[count];
        long[] ss = new long[count];
        String[] sn = new String[count];
        for (int i = 0; i < count; i++) {
            sa[i] = a[order[i]];
            ss[i] = s[order[i]];
            sn[i] = n[order[i]];
        }
        return new ElfSymbols(sa, ss, sn, Arrays.copyOf(lo, loads), Arrays.copyOf(lv, loads), Arrays.copyOf(lf, loads));
    }

    private static String cString(MappedByteBuffer b, int at) {
        int end = at;
        while (end < b.limit() && b.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - at];
        b.get(at, bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The virtual address of a file offset, through the {@code PT_LOAD} segment holding it; the offset itself if none does. */
    public long vaddrOfFileOffset(long fileOffset) {
        for (int i = 0; i < loadOffset.length; i++) {
            if (fileOffset >= loadOffset[i] && fileOffset < loadOffset[i] + loadFilesz[i]) {
                return fileOffset - loadOffset[i] + loadVaddr[i];
            }
        }
        return fileOffset;
    }

    /**
     * The function containing {@code vaddr}: the nearest symbol at or below it whose size covers it (or, for size-0
     * symbols, the nearest one). {@code null} when none does.
     */
    public String functionAt(long vaddr) {
        int lo = 0;
        int hi = addr.length - 1;
        int best = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(addr[mid], vaddr) <= 0) {
                best = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        // several aliases may share an address: prefer one whose extent covers vaddr
        for (int i = best; i >= 0 && i > best - 8; i--) {
            if (size[i] == 0 ? i == best : vaddr - addr[i] < size[i]) {
                return name[i];
            }
        }
        return null;
    }

    public int size() {
        return addr.length;
    }
}
