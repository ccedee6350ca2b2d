package dev.hotpath.agent.build;

import dev.hotpath.agent.bootstrap.NotInlined;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.utility.OpenedClassReader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class InlineMarksTest {
    /** A class of the test's own, compiled but never rewritten by the build. */
    static final class Marked {
        @NotInlined
        static int first() {
            return 1;
        }

        @Deprecated
        @NotInlined
        static int second() {
            return 2;
        }

        static int plain() {
            return 3;
        }
    }

    @Test
    void rewriteRenamesEachMarkToDontInlineAndKeepsTheOtherAnnotations() throws IOException {
        byte[] in = bytes(Marked.class.getName());
        int[] marked = new int[1];
        byte[] out = InlineMarks.rewrite(in, marked);
        assertThat(marked[0]).isEqualTo(2);
        assertThat(annotated(in, InlineMarks.MARK)).containsExactly("first", "second");
        assertThat(annotated(out, InlineMarks.MARK)).isEmpty();
        assertThat(annotated(out, InlineMarks.DONT_INLINE)).containsExactly("first", "second");
        assertThat(annotated(out, "Ljava/lang/Deprecated;")).containsExactly("second");
    }

    @Test
    void aClassWithoutTheMarkComesBackUnchanged() throws IOException {
        byte[] in = bytes("dev.hotpath.agent.bootstrap.Ops");
        int[] marked = new int[1];
        assertThat(InlineMarks.rewrite(in, marked)).isSameAs(in);
        assertThat(marked[0]).isZero();
    }

    /** The build ran the step on the recorder: its advice-facing entry points carry HotSpot's annotation. */
    @Test
    void theBuiltRecordersEntryPointsAreDontInline() throws IOException {
        byte[] recorder = bytes("dev.hotpath.agent.bootstrap.Recorder");
        assertThat(annotated(recorder, InlineMarks.MARK)).isEmpty();
        assertThat(annotated(recorder, InlineMarks.DONT_INLINE)).containsExactlyElementsOf(new TreeSet<>(List.of(
                "acceptState", "asyncHandler", "asyncReturned", "asyncSubmit", "channelState", "clock", "closed",
                "end", "endCompound", "endCopy", "fileState", "futureSet", "seek", "skip", "socketState",
                "startCompound")));
        // every overload of the entry points: fileState 2, socketState 4, channelState 2, acceptState 2, the rest 1
        int[] n = new int[1];
        new ClassReader(recorder).accept(visitor(InlineMarks.DONT_INLINE, name -> n[0]++), 0);
        assertThat(n[0]).isEqualTo(22);
    }

    private static byte[] bytes(String className) throws IOException {
        try (InputStream in = InlineMarksTest.class.getClassLoader()
                .getResourceAsStream(className.replace('.', '/') + ".class")) {
            assertThat(in).as(className).isNotNull();
            return in.readAllBytes();
        }
    }

    /** The names of the methods that carry an annotation of type {@code descriptor}, sorted, once each. */
    private static Set<String> annotated(byte[] classFile, String descriptor) {
        Set<String> names = new TreeSet<>();
        new ClassReader(classFile).accept(visitor(descriptor, names::add), 0);
        return names;
    }

    private static ClassVisitor visitor(String descriptor, java.util.function.Consumer<String> onMethod) {
        return new ClassVisitor(OpenedClassReader.ASM_API) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature,
                                             String[] exceptions) {
                return new MethodVisitor(OpenedClassReader.ASM_API) {
                    @Override
                    public AnnotationVisitor visitAnnotation(String d, boolean visible) {
                        if (d.equals(descriptor)) {
                            onMethod.accept(name);
                        }
                        return null;
                    }
                };
            }
        };
    }
}
