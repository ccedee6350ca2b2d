package dev.hotpath.analyzer.heap.apps;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * Leak fixture: each redeploy loads {@link Plugin} in a fresh class loader and registers a plugin instance in a
 * global registry that is never cleaned, so every old loader (with its classes and their statics) stays alive.
 */
public final class ClassLoaderLeak {
    static final List<Object> REGISTRY = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        URL classes = ClassLoaderLeak.class.getProtectionDomain().getCodeSource().getLocation();
        for (int i = 0; i < 20; i++) {
            URLClassLoader loader = new URLClassLoader("redeploy-" + i, new URL[] {classes},
                    ClassLoader.getPlatformClassLoader());
            Class<?> plugin = loader.loadClass(Plugin.class.getName());
            REGISTRY.add(plugin.getDeclaredConstructor().newInstance());
        }
        Ready.signalAndWait((Runnable) null);
    }
}
