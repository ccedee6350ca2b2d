package dev.hotpath.analyzer.io;

import dev.hotpath.analyzer.model.Artifact;
import dev.hotpath.analyzer.model.Summary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The jobs of one fio result ({@code --output-format=json}): what the device can do, to compare hot sites with. */
public record DeviceBaseline(Artifact source, String tool, List<DeviceJob> jobs) implements Summary {
    public DeviceBaseline {
        jobs = List.copyOf(jobs);
    }

    @Override
    public String kind() {
        return "io.device";
    }

    /** The job that best stands for the given access: same direction and randomness first, then same direction. */
    public Optional<DeviceJob> bestFor(boolean read, boolean random) {
        DeviceJob sameDirection = null;
        for (DeviceJob j : jobs) {
            boolean does = read ? j.reads() : j.writes();
            if (!does) {
                continue;
            }
            if (j.isRandom() == random) {
                return Optional.of(j);
            }
            if (sameDirection == null) {
                sameDirection = j;
            }
        }
        return Optional.ofNullable(sameDirection);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tool", tool);
        List<Object> js = new ArrayList<>();
        for (DeviceJob j : jobs) {
            Map<String, Object> jm = new LinkedHashMap<>();
            jm.put("name", j.name());
            jm.put("rw", j.rw());
            jm.put("blockSize", j.blockSize());
            jm.put("readIops", j.readIops());
            jm.put("readP99Nanos", j.readP99Nanos());
            jm.put("writeIops", j.writeIops());
            jm.put("writeP99Nanos", j.writeP99Nanos());
            js.add(jm);
        }
        m.put("jobs", js);
        return m;
    }
}
