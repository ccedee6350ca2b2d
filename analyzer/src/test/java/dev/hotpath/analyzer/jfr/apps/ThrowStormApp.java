package dev.hotpath.analyzer.jfr.apps;

/** Has the JDK throw a known number (args[0]) of NumberFormatExceptions for it, from {@link #parse}. */
public final class ThrowStormApp {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int caught = 0;
        for (int i = 0; i < n; i++) {
            if (parse("x" + i) < 0) {
                caught++;
            }
        }
        System.out.println("caught " + caught);
    }

    static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
