package dev.hotpath.analyzer.heap.apps;

/** Loaded once per "redeploy" by its own class loader in {@link ClassLoaderLeak}; its static cache pins 400 KB. */
public final class Plugin {
    static final byte[] CACHE = new byte[400_000];

    @Override
    public String toString() {
        return "plugin " + CACHE.length;
    }
}
