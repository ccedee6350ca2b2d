package dev.hotpath.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code ./hotpath} script, run by bash in a scratch copy of a repository. Building the whole project inside
 * a test would take minutes, so {@code mvn} on the PATH is a stand-in script that logs its arguments and drops a
 * small real jar (printing its JVM arguments) where the CLI jar goes; {@code java}, {@code flock} and {@code find} are
 * the real ones.
 */
class LauncherTest {
    @TempDir
    static Path shared;
    static Path script;
    static Path probeJar;
    static Path fakeBin;

    @TempDir
    Path repo;

    @BeforeAll
    static void setUp() throws Exception {
        script = Path.of("..", "hotpath").toAbsolutePath().normalize();
        assertThat(script).isRegularFile();
        probeJar = probeJar(shared);
        fakeBin = Files.createDirectories(shared.resolve("bin"));
        Path mvn = Files.writeString(fakeBin.resolve("mvn"), """
                #!/usr/bin/env bash
                echo "$*" >> "$MVN_LOG"
                sleep 1
                if [[ -n "${FAIL_ALWAYS:-}" ]]; then echo "[ERROR] it broke" >&2; exit 1; fi
                if [[ -n "${FAIL_OFFLINE:-}" && " $* " == *" -o "* ]]; then echo "[ERROR] offline" >&2; exit 1; fi
                mkdir -p cli/target && cp "$PROBE_JAR" cli/target/hotpath.jar
                """);
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A jar whose main prints its JVM arguments and its own arguments. */
    static Path probeJar(Path dir) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("Probe.java"), """
                public class Probe {
                    public static void main(String[] a) {
                        System.out.println("jvm=" + java.lang.management.ManagementFactory.getRuntimeMXBean()
                                .getInputArguments() + " args=" + java.util.Arrays.toString(a));
                    }
                }
                """);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, "-d", src.toString(), src.resolve("Probe.java").toString())).isZero();
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Probe");
        Path jar = dir.resolve("probe.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            out.putNextEntry(new JarEntry("Probe.class"));
            out.write(Files.readAllBytes(src.resolve("Probe.class")));
            out.closeEntry();
        }
        return jar;
    }

    record Result(int exit, String out, String err) {
    }

    private Process start(Map<String, String> env, String... args) throws Exception {
        Path launcher = repo.resolve("hotpath");
        if (!Files.exists(launcher)) {
            Files.copy(script, launcher);
            Files.writeString(repo.resolve("pom.xml"), "<project/>\n");
            Files.createDirectories(repo.resolve("analyzer/src/main/java"));
            Files.writeString(repo.resolve("analyzer/src/main/java/A.java"), "class A {}\n");
        }
        List<String> cmd = new ArrayList<>(List.of("bash", launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile());
        pb.environment().put("PATH", fakeBin + ":" + System.getenv("PATH"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("MVN_LOG", repo.resolve("mvn.log").toString());
        pb.environment().put("PROBE_JAR", probeJar.toString());
        pb.environment().remove("HOTPATH_JAVA_OPTS");
        pb.environment().putAll(env);
        return pb.start();
    }

    private static Result finish(Process p) throws Exception {
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return new Result(p.exitValue(), out, err);
        } finally {
            p.destroyForcibly();
        }
    }

    private Result run(Map<String, String> env, String... args) throws Exception {
        return finish(start(env, args));
    }

    private List<String> mvnCalls() throws Exception {
        Path log = repo.resolve("mvn.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private String home() throws Exception {
        return repo.toRealPath().toString();
    }

    @Test
    void buildsOnFirstUseThenRunsTheJarWithDefaults() throws Exception {
        Result first = run(Map.of(), "--version");
        assertThat(first.err()).isEqualTo("building hotpath (first run)…\n");
        assertThat(first.exit()).isZero();
        assertThat(first.out()).isEqualTo("jvm=[-Xmx1g, -Dhotpath.home=" + home() + "] args=[--version]\n");
        assertThat(mvnCalls()).containsExactly("-B -q -o -fae package -Dmaven.test.skip=true");

        Result second = run(Map.of(), "analyze", "x y");
        assertThat(second.err()).isEmpty();
        assertThat(second.out()).isEqualTo("jvm=[-Xmx1g, -Dhotpath.home=" + home() + "] args=[analyze, x y]\n");
        assertThat(mvnCalls()).hasSize(1);
    }

    @Test
    void rebuildsWhenASourceIsNewerAndHonoursJavaOpts() throws Exception {
        run(Map.of());
        Path src = repo.resolve("analyzer/src/main/java/A.java");
        Files.setLastModifiedTime(src, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        Result r = run(Map.of("HOTPATH_JAVA_OPTS", "-Xmx64m -Dx=y"), "--help");
        assertThat(r.err()).isEqualTo("building hotpath (sources changed)…\n");
        assertThat(r.out()).isEqualTo("jvm=[-Xmx64m, -Dx=y, -Dhotpath.home=" + home() + "] args=[--help]\n");
        assertThat(mvnCalls()).hasSize(2);
    }

    @Test
    void fallsBackToOnlineWhenOfflineFails() throws Exception {
        Result r = run(Map.of("FAIL_OFFLINE", "1"), "--version");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEqualTo("building hotpath (first run)…\n");
        assertThat(mvnCalls()).containsExactly("-B -q -o -fae package -Dmaven.test.skip=true",
                "-B -q -fae package -Dmaven.test.skip=true");
    }

    @Test
    void aFailedBuildIsOneLineAndExit3() throws Exception {
        Result r = run(Map.of("FAIL_ALWAYS", "1"), "--version");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("building hotpath (first run)…\nhotpath: build failed; see "
                + home() + "/.hotpath-build/build.log\n");
        assertThat(Files.readString(repo.resolve(".hotpath-build/build.log"))).contains("[ERROR] it broke");
    }

    @Test
    void twoLaunchersAtOnceBuildOnce() throws Exception {
        Process a = start(Map.of(), "one");
        Process b = start(Map.of(), "two");
        Result ra = finish(a);
        Result rb = finish(b);
        assertThat(ra.exit()).isZero();
        assertThat(rb.exit()).isZero();
        assertThat(ra.out()).endsWith("args=[one]\n");
        assertThat(rb.out()).endsWith("args=[two]\n");
        assertThat(mvnCalls()).hasSize(1);
        assertThat(ra.err() + rb.err()).isEqualTo("building hotpath (first run)…\n");
    }
}
