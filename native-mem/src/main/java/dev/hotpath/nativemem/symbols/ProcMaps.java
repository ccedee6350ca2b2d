package dev.hotpath.nativemem.symbols;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The regions of a process's address space, parsed from {@code /proc/PID/maps} text (a jemalloc profile's
 * {@code MAPPED_LIBRARIES:} section is exactly that text, which is why a profile can be symbolized after the process
 * has gone). Lookup is a binary search over regions sorted by start address.
 */
public final class ProcMaps {
    private final MapRegion[] regions;
    private final long[] starts;

    private ProcMaps(List<MapRegion> list) {
        list.sort(Comparator.comparingLong(MapRegion::start));
        regions = list.toArray(new MapRegion[0]);
        starts = new long[regions.length];
        for (int i = 0; i < regions.length; i++) {
            starts[i] = regions[i].start();
        }
    }

    /** Parses maps lines; lines that are not maps lines are skipped (callers pass a section of a larger file). */
    public static ProcMaps parse(List<String> lines) {
        List<MapRegion> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            MapRegion r = parseLine(line);
            if (r != null) {
                out.add(r);
            }
        }
        return new ProcMaps(out);
    }

    static MapRegion parseLine(String line) {
        // 7f0e1c000000-7f0e1c021000 r-xp 00002000 fe:00 1234   /usr/lib/x86_64-linux-gnu/libz.so.1.2.13
        int dash = line.indexOf('-');
        int sp1 = line.indexOf(' ');
        if (dash <= 0 || sp1 < dash) {
            return null;
        }
        int sp2 = line.indexOf(' ', sp1 + 1);
        int sp3 = sp2 < 0 ? -1 : line.indexOf(' ', sp2 + 1);
        int sp4 = sp3 < 0 ? -1 : line.indexOf(' ', sp3 + 1);
        int sp5 = sp4 < 0 ? -1 : line.indexOf(' ', sp4 + 1);
        if (sp3 < 0 || sp4 < 0) {
            return null;
        }
        try {
            long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
            long end = Long.parseUnsignedLong(line.substring(dash + 1, sp1), 16);
            String perms = line.substring(sp1 + 1, sp2);
            long offset = Long.parseUnsignedLong(line.substring(sp2 + 1, sp3), 16);
            String path = sp5 < 0 ? "" : line.substring(sp5).trim();
            return new MapRegion(start, end, perms, offset, path);
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }

    /** The region containing {@code address}, or {@code null}. */
    public MapRegion find(long address) {
        int lo = 0;
        int hi = starts.length - 1;
        int best = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(starts[mid], address) <= 0) {
                best = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (best < 0) {
            return null;
        }
        MapRegion r = regions[best];
        return Long.compareUnsigned(address, r.end()) < 0 ? r : null;
    }

    public int size() {
        return regions.length;
    }
}
