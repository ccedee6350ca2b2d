package dev.hotpath.analyzer.rules.heap;

import java.util.regex.Pattern;

/**
 * Whether a holder, as {@code Holders} names it, belongs to the JDK itself: a static field of a JDK class, a JDK
 * class held as a system class root, or a JNI global reference (the VM's and native libraries' own handles). Such
 * tables (time zones, security providers, JFR's string pool, interned method types) are filled lazily and sized by
 * the JDK, not by the program's traffic; a user cannot act on them, so they are no leak suspects on their own.
 */
final class JdkHolders {
    private static final Pattern JDK = Pattern.compile(
            "^(static |system class root class |sticky class root class )(java|javax|jdk|sun|com\\.sun)\\..*|^JNI global root .*");

    private JdkHolders() {
    }

    static boolean isJdk(String holder) {
        return holder != null && JDK.matcher(holder).matches();
    }

    /** A frame local lives as long as its method call: what it alone holds is a request in flight. */
    static boolean isFrameLocal(String holder) {
        return holder != null && holder.startsWith("thread \"") && holder.contains("\" local");
    }
}
