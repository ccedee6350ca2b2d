package dev.hotpath.nativemem.symbols;

/**
 * Just enough of the Itanium C++ ABI name mangling to turn {@code _ZN2os6mallocEmN3MEM4FlagE} into
 * {@code os::malloc}: the nested (or plain) name, without parameter types. Anything else is returned unchanged;
 * names are for people reading a stack, not for linking.
 */
public final class Demangler {
    private Demangler() {
    }

    public static String demangle(String s) {
        if (s == null || !s.startsWith("_Z")) {
            return s;
        }
        int p = 2;
        boolean nested = p < s.length() && s.charAt(p) == 'N';
        if (nested) {
            p++;
            while (p < s.length() && (s.charAt(p) == 'K' || s.charAt(p) == 'V' || s.charAt(p) == 'r')) {
                p++;
            }
        }
        StringBuilder out = new StringBuilder();
        String last = null;
        while (p < s.length()) {
            char c = s.charAt(p);
            if (Character.isDigit(c)) {
                int len = 0;
                while (p < s.length() && Character.isDigit(s.charAt(p))) {
                    len = len * 10 + (s.charAt(p++) - '0');
                }
                if (p + len > s.length()) {
                    return s;
                }
                last = s.substring(p, p + len);
                if (out.length() > 0) {
                    out.append("::");
                }
                out.append(last);
                p += len;
                if (!nested) {
                    break;
                }
            } else if (nested && (c == 'C' || c == 'D') && p + 1 < s.length() && Character.isDigit(s.charAt(p + 1))
                    && last != null) {
                out.append("::").append(c == 'D' ? "~" : "").append(last);
                p += 2;
            } else {
                break;
            }
        }
        return out.length() == 0 ? s : out.toString();
    }
}
