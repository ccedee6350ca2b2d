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
        Instrumenter.install(options, inst, attached);
        installed = true;
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
