package dev.hotpath.agent;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent runs in the host's JVM, and the JIT compiles the host's calls from the classes it profiled there, the
 * agent's included (agent/README, "The agent's own work does not reshape the host's compiled code"). Its classes must
 * therefore not call the JDK code a service runs hot with a class of the agent's or a collection class of its own
 * choosing. Read from the compiled classes' bytecode: the exporter (the snapshot file, its JSON, the Prometheus text,
 * the HTTP server of {@code port=N}) and the recorder on the host's threads.
 */
class AgentJdkCallsTest {
    private static final String[] DENIED = {
        "java/nio/file/Files.", "java/nio/channels/FileChannel.open", "java/util/List.sort", "java/util/ArrayList.sort",
        "java/util/Collections.sort", "java/util/Arrays.sort", ".removeIf", "java/time/Instant.toString",
        "java/time/format/", "java/lang/String.format", "java/util/Formatter", "java/util/stream/", "java/util/regex/",
        // the JDK's HTTP server: a host serving through it would get the agent's handlers at its dispatch calls
        "com/sun/net/httpserver/", "sun/net/httpserver/",
    };

    @Test
    void exporterClassesCallNoneOfTheHostsPolymorphicHotPaths() throws IOException {
        TreeSet<String> calls = new TreeSet<>();
        for (Path c : exporterClasses()) {
            calls.addAll(calls(c));
        }
        assertThat(calls).as("the scan reads the snapshot writer's calls")
                .contains("java/io/FileOutputStream.<init>", "java/io/File.renameTo", "java/io/File.createNewFile",
                        "java/net/ServerSocket.accept");
        // the one allowed use of java.nio.file: Files.move, only when rename(2) is refused
        List<String> denied = new ArrayList<>();
        for (String call : calls) {
            for (String d : DENIED) {
                if (call.contains(d) && !call.equals("java/nio/file/Files.move")) {
                    denied.add(call);
                }
            }
        }
        assertThat(denied).isEmpty();
    }

    /**
     * The recorder's key maps are its own ({@code OwnMap}), its thread lists its own arrays: a {@code HashMap} keyed
     * by a class of the agent's, looked up on every stack walk, made the host's {@code HashMap.hash} call
     * {@code hashCode} through a vtable. Only two recorder classes use {@code java.util}'s hash collections, keyed by
     * {@code String}s (a class every host's profile of them already has): the tags' site ids and the registry's
     * per-site sets.
     */
    @Test
    void theRecorderKeepsItsOwnKeysOutOfTheJdksCollections() throws IOException {
        Map<String, TreeSet<String>> byClass = new TreeMap<>();
        try (Stream<Path> s = Files.list(Paths.get("target/classes/dev/hotpath/agent/bootstrap"))) {
            for (Path c : (Iterable<Path>) s.filter(p -> p.toString().endsWith(".class"))::iterator) {
                byClass.put(c.getFileName().toString().replace(".class", ""), calls(c));
            }
        }
        assertThat(byClass).containsKeys("Recorder", "CallSites", "SiteRegistry", "OwnMap", "StreamTable");
        TreeSet<String> hashCollections = new TreeSet<>();
        List<String> denied = new ArrayList<>();
        byClass.forEach((cls, calls) -> {
            for (String call : calls) {
                if (call.startsWith("java/util/HashMap.") || call.startsWith("java/util/HashSet.")) {
                    hashCollections.add(cls);
                }
                // (Files.isRegularFile and Files.size after a Files.copy pass the host's own path and option classes)
                for (String d : new String[] {"java/util/ArrayList.", "java/util/List.", "java/util/Collections.sort",
                        "java/util/Arrays.sort", ".removeIf", "java/util/regex/", "java/lang/String.format"}) {
                    if (call.contains(d)) {
                        denied.add(cls + " " + call);
                    }
                }
            }
        });
        assertThat(hashCollections).containsExactly("CallSiteTags", "SiteRegistry");
        assertThat(denied).isEmpty();
    }

    private static TreeSet<String> calls(Path classFile) throws IOException {
        TreeSet<String> calls = new TreeSet<>();
        try (InputStream in = Files.newInputStream(classFile)) {
            new ClassReader(in).accept(new Calls(calls), ClassReader.SKIP_DEBUG);
        }
        return calls;
    }

    /** The compiled classes of the export package and the Exporters class with its nested classes. */
    private static List<Path> exporterClasses() throws IOException {
        Path root = Paths.get("target/classes/dev/hotpath/agent");
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(root.resolve("export"))) {
            s.filter(p -> p.toString().endsWith(".class")).forEach(out::add);
        }
        try (Stream<Path> s = Files.list(root)) {
            s.filter(p -> p.getFileName().toString().startsWith("Exporters")).forEach(out::add);
        }
        assertThat(out).hasSizeGreaterThan(8);
        return out;
    }

    private static final class Calls extends ClassVisitor {
        private final TreeSet<String> calls;

        Calls(TreeSet<String> calls) {
            super(Opcodes.ASM9);
            this.calls = calls;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitMethodInsn(int opcode, String owner, String method, String d, boolean itf) {
                    if (owner.startsWith("java/")) {
                        calls.add(owner + "." + method);
                    }
                }
            };
        }
    }
}
