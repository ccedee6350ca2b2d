package dev.hotpath.agent;

import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * Puts the recorder on the bootstrap class path, then hands over to {@link Instrumenter} and {@link Exporters}.
 *
 * <p>The recorder classes ({@code dev.hotpath.agent.bootstrap}) travel inside the agent jar as a nested jar
 * ({@value #BOOTSTRAP_JAR}), built at package time and absent from the agent jar's own entries, so they are defined
 * exactly once, by the bootstrap loader, where the instrumented {@code java.base} classes can see them. This class
 * must not mention a recorder class: the JVM may resolve such a reference before the append.
 */
final class AgentInstaller {
    static final String BOOTSTRAP_JAR = "META-INF/hotpath/bootstrap.jar";
    private static final String RECORDER = "dev.hotpath.agent.bootstrap.Recorder";
    private static boolean installed;

    private AgentInstaller() {
    }

    static synchronized void install(String args, Instrumentation inst, boolean attached) throws Exception {
        AgentOptions options = AgentOptions.parse(args);
        if (installed || bootstrapLoaded()) {
            System.err.println("hotpath-agent: already running in this JVM; options ignored");
            return;
        }
        appendBootstrapJar(inst);
        preloadOwnClasses(); // before recording starts: the agent's own reads of its jar are not the host's I/O
        Instrumenter.install(options, inst, attached);
        installed = true;
    }

    /**
     * Loads (without initialising) every class of the agent's own code, the shaded ByteBuddy aside, so that the exit
     * snapshot and the exporters do not need the agent jar later: a jar replaced while the host runs (hotpath
     * upgraded, or rebuilt) made the exit hook fail with {@code NoClassDefFoundError} for a class it had not loaded
     * yet, and the final snapshot was lost. About eighty small classes (nested ones included), once.
     */
    private static void preloadOwnClasses() {
        try {
            ClassLoader loader = AgentInstaller.class.getClassLoader();
            Path jar = Path.of(AgentInstaller.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(jar)) {
                return; // classes from a directory (tests of the agent's parts)
            }
            try (JarFile f = new JarFile(jar.toFile())) {
                for (java.util.Enumeration<java.util.jar.JarEntry> e = f.entries(); e.hasMoreElements(); ) {
                    String n = e.nextElement().getName();
                    // not the JFR event classes: loading one would bring up JFR's event machinery when jfr=false
                    if (n.startsWith("dev/hotpath/agent/") && n.endsWith(".class")
                            && !n.startsWith("dev/hotpath/agent/shaded/") && !n.contains("/Jfr")) {
                        Class.forName(n.substring(0, n.length() - 6).replace('/', '.'), false, loader);
                    }
                }
            }
        } catch (Throwable t) {
            System.err.println("hotpath-agent: could not preload the agent's classes (harmless unless its jar"
                    + " changes while this JVM runs): " + t);
        }
    }

    private static boolean bootstrapLoaded() {
        try {
            Class.forName(RECORDER, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static void appendBootstrapJar(Instrumentation inst) throws Exception {
        Path tmp = Files.createTempFile("hotpath-bootstrap-", ".jar");
        tmp.toFile().deleteOnExit();
        try (InputStream in = AgentInstaller.class.getClassLoader().getResourceAsStream(BOOTSTRAP_JAR)) {
            if (in == null) {
                throw new IllegalStateException(BOOTSTRAP_JAR + " is missing from the agent jar (build it with mvn package)");
            }
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        inst.appendToBootstrapClassLoaderSearch(new JarFile(tmp.toFile()));
    }
}
