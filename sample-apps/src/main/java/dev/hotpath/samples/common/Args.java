package dev.hotpath.samples.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line options of the sample services: {@code --name=value}, {@code --name value} or a bare {@code --flag}.
 * A repeated option keeps every value (see {@link #all}); {@code --fault} is typically given several times or
 * comma-separated. Unknown options are an error so that a typo in a demo script fails loudly.
 */
public final class Args {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Args() {
    }

    public static Args parse(String[] argv) {
        Args args = new Args();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new UsageException("unexpected argument '" + a + "' (options are --name=value)");
            }
            String body = a.substring(2);
            int eq = body.indexOf('=');
            String name;
            String value;
            if (eq >= 0) {
                name = body.substring(0, eq);
                value = body.substring(eq + 1);
            } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                name = body;
                value = argv[++i];
            } else {
                name = body;
                value = "true";
            }
            args.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return args;
    }

    /** Fails on any option not in {@code known}. */
    public Args allow(String... known) {
        for (String name : values.keySet()) {
            boolean ok = false;
            for (String k : known) {
                ok |= k.equals(name);
            }
            if (!ok) {
                throw new UsageException("unknown option --" + name + " (known: --" + String.join(", --", known) + ")");
            }
        }
        return this;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String get(String name, String dflt) {
        List<String> v = values.get(name);
        return v == null ? dflt : v.get(v.size() - 1);
    }

    public String require(String name) {
        String v = get(name, null);
        if (v == null) {
            throw new UsageException("missing option --" + name);
        }
        return v;
    }

    public int getInt(String name, int dflt) {
        String v = get(name, null);
        try {
            return v == null ? dflt : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects an integer, got '" + v + "'");
        }
    }

    public long getBytes(String name, long dflt) {
        String v = get(name, null);
        return v == null ? dflt : Units.parseBytes(name, v);
    }

    public long getMillis(String name, long dflt) {
        String v = get(name, null);
        return v == null ? dflt : Units.parseMillis(name, v);
    }

    public boolean getBool(String name) {
        return Boolean.parseBoolean(get(name, "false"));
    }

    /** Every value of a repeatable option, with comma-separated values split. */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>();
        for (String v : values.getOrDefault(name, List.of())) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    /** A bad command line: printed as one line, exit code 2. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
