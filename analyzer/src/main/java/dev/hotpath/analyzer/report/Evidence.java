package dev.hotpath.analyzer.report;

import java.util.List;
import java.util.Map;

/** Evidence values as one-line text for the human reports (lists and maps inline, compact). */
final class Evidence {
    private Evidence() {
    }

    static String format(Object v) {
        if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                return d.toString();
            }
            return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        if (v instanceof Float f) {
            return format(f.doubleValue());
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(format(l.get(i)));
            }
            return sb.append(']').toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? "" : ", ").append(e.getKey()).append('=').append(format(e.getValue()));
                first = false;
            }
            return sb.append('}').toString();
        }
        return String.valueOf(v);
    }
}
