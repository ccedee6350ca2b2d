package dev.hotpath.analyzer.jfr.read;

/** {@code RecordedObject}'s conversions of a field's value for its typed getters, on this reader's values. */
final class Values {
    private Values() {
    }

    static long toLong(Object o, boolean unsigned, String name) {
        if (unsigned) {
            if (o instanceof Integer i) {
                return Integer.toUnsignedLong(i);
            }
            if (o instanceof Short s) {
                return Short.toUnsignedLong(s);
            }
            if (o instanceof Byte b) {
                return Byte.toUnsignedLong(b);
            }
        }
        if (o instanceof Long l) {
            return l;
        }
        if (o instanceof Integer i) {
            return i;
        }
        if (o instanceof Short s) {
            return s;
        }
        if (o instanceof Character c) {
            return c;
        }
        if (o instanceof Byte b) {
            return b;
        }
        throw wrong(name, "long");
    }

    static int toInt(Object o, boolean unsigned, String name) {
        if (unsigned) {
            if (o instanceof Integer i) {
                return i;
            }
            if (o instanceof Short s) {
                return Short.toUnsignedInt(s);
            }
            if (o instanceof Byte b) {
                return Byte.toUnsignedInt(b);
            }
        }
        if (o instanceof Integer i) {
            return i;
        }
        if (o instanceof Short s) {
            return s;
        }
        if (o instanceof Character c) {
            return c;
        }
        if (o instanceof Byte b) {
            return b;
        }
        throw wrong(name, "int");
    }

    static float toFloat(Object o, String name) {
        if (o instanceof Float f) {
            return f;
        }
        if (o instanceof Long l) {
            return l;
        }
        if (o instanceof Integer i) {
            return i;
        }
        if (o instanceof Short s) {
            return s;
        }
        if (o instanceof Byte b) {
            return b;
        }
        if (o instanceof Character c) {
            return c;
        }
        throw wrong(name, "float");
    }

    /** {@code getDuration(name).toNanos()} of a timespan in the field's {@code @Timespan} unit. */
    static long durationNanos(Object o, Metadata.Field f, double divisor) {
        long v = toLong(o, false, f.name); // getDuration reads the raw value: no unsigned widening
        if (v == Long.MIN_VALUE) {
            throw new ArithmeticException("long overflow"); // Duration.ofSeconds(Long.MIN_VALUE).toNanos()
        }
        if (f.timespan == null) {
            throw new IllegalArgumentException("Attempt to get field \"" + f.name + "\" with missing @Timespan");
        }
        return switch (f.timespan) {
            case "TICKS" -> (long) (v / divisor); // the consumer's TimeConverter.convertTimespan
            case "NANOSECONDS" -> v;
            case "MICROSECONDS" -> java.time.Duration.ofNanos(1000 * v).toNanos();
            case "MILLISECONDS" -> java.time.Duration.ofMillis(v).toNanos();
            case "SECONDS" -> java.time.Duration.ofSeconds(v).toNanos();
            default -> throw new IllegalArgumentException("illegal timespan unit " + f.timespan);
        };
    }

    static IllegalArgumentException wrong(String name, String kind) {
        return new IllegalArgumentException("Attempt to get field \"" + name + "\" of another type than " + kind);
    }
}
