package dev.hotpath.agent.tag;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rewrite itself: {@code Shapes}' tagged calls in awkward bytecode shapes are rewritten, the rewritten class passes
 * the verifier (it is defined by a fresh class loader, so it is verified) and computes what the original computes, and
 * the sites registered are the marked lines.
 */
class CallSiteTaggerTest {
    @Test
    void rewritesEveryTaggedCallIntoVerifiableCodeWithTheMarkedLines() throws Exception {
        byte[] original;
        try (InputStream in = Shapes.class.getResourceAsStream("Shapes.class")) {
            original = in.readAllBytes();
        }
        List<String> sites = new ArrayList<>();
        byte[] rewritten = CallSiteTagger.rewrite(original, (cls, method, file, line) -> {
            sites.add(cls + "." + method + "(" + file + ":" + line + ")");
            return sites.size() - 1;
        });
        assertThat(rewritten).isNotNull();

        List<String> expected = new ArrayList<>();
        List<String> src = Files.readAllLines(Paths.get(System.getProperty("hotpath.test.sources", "src/test/java"))
                .resolve("dev/hotpath/agent/tag/Shapes.java"));
        Pattern marker = Pattern.compile("// TAG:(\\w+)");
        String[] methods = {"<clinit>", "<init>", "asString", "loop", "longBehindJoin", "nullReceiver"};
        for (int i = 0, m = 0; i < src.size(); i++) {
            Matcher mm = marker.matcher(src.get(i));
            if (mm.find()) {
                expected.add("dev.hotpath.agent.tag.Shapes." + methods[m++] + "(Shapes.java:" + (i + 1) + ")");
            }
        }
        assertThat(sites).containsExactlyInAnyOrderElementsOf(expected);

        Class<?> copy = new ClassLoader(getClass().getClassLoader()) {
            Class<?> define() {
                return defineClass(Shapes.class.getName(), rewritten, 0, rewritten.length);
            }
        }.define();
        assertThat(copy).isNotSameAs(Shapes.class);
        Object fromRewritten = copy.getMethod("run").invoke(null);
        assertThat(fromRewritten).isEqualTo(Shapes.run()).isEqualTo("3 4 hello 12 32 1");
    }

    @Test
    void leavesClassesWithoutTaggedCallsAlone() throws Exception {
        byte[] bytes;
        try (InputStream in = CallSiteTaggerTest.class.getResourceAsStream("CallSiteTaggerTest.class")) {
            bytes = in.readAllBytes();
        }
        assertThat(CallSiteTagger.rewrite(bytes, (c, m, f, l) -> 0)).isNull();
        assertThat(CallSiteTagger.internal("java/io/Foo")).isTrue();
        assertThat(CallSiteTagger.internal("dev/hotpath/agent/Foo")).isTrue();
        assertThat(CallSiteTagger.internal("dev/hotpath/samples/Foo")).isFalse();
    }
}
