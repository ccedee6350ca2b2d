package dev.hotpath.agent.build;

import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.utility.OpenedClassReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Build step (the agent's pom runs it on the compiled classes, before the bootstrap jar is made): in every class of the
 * recorder's package, each {@code @NotInlined} on a method becomes HotSpot's {@code @DontInline}, which javac cannot
 * name at release 11 (the package is not exported). Only the annotation's type changes; a class without the mark is
 * left as it is, so a second run over the same classes (an incremental build) changes nothing. Prints one line per
 * class rewritten, and fails the build when no class of the package carries either annotation: a build that silently
 * lost the marks would ship a recorder the JIT inlines again.
 */
public final class InlineMarks {
    static final String MARK = "Ldev/hotpath/agent/bootstrap/NotInlined;";
    static final String DONT_INLINE = "Ljdk/internal/vm/annotation/DontInline;";

    private InlineMarks() {
    }

    /** {@code args[0]}: the classes directory; the recorder's classes are under {@code dev/hotpath/agent/bootstrap}. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0], "dev", "hotpath", "agent", "bootstrap");
        List<Path> classes = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.toString().endsWith(".class")).sorted().forEach(classes::add);
        }
        int total = 0;
        boolean done = false;
        for (Path p : classes) {
            byte[] in = Files.readAllBytes(p);
            done |= new String(in, StandardCharsets.ISO_8859_1).contains(DONT_INLINE);
            int[] marked = new int[1];
            byte[] out = rewrite(in, marked);
            if (marked[0] > 0) {
                Files.write(p, out);
                total += marked[0];
                System.out.println("InlineMarks: " + p.getFileName() + ": " + marked[0] + " methods @DontInline");
            }
        }
        if (total == 0 && !done) {
            throw new IllegalStateException("InlineMarks: no @NotInlined method under " + dir);
        }
    }

    /**
     * {@code classFile} with every method annotation {@link #MARK} renamed to {@link #DONT_INLINE}; {@code marked[0]}
     * gets how many. A class that never mentions the mark comes back unchanged (the same array).
     */
    static byte[] rewrite(byte[] classFile, int[] marked) {
        if (!new String(classFile, StandardCharsets.ISO_8859_1).contains(MARK)) {
            return classFile;
        }
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(OpenedClassReader.ASM_API, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                return new MethodVisitor(OpenedClassReader.ASM_API, mv) {
                    @Override
                    public AnnotationVisitor visitAnnotation(String desc, boolean visible) {
                        if (MARK.equals(desc)) {
                            marked[0]++;
                            return super.visitAnnotation(DONT_INLINE, visible);
                        }
                        return super.visitAnnotation(desc, visible);
                    }
                };
            }
        }, 0);
        return writer.toByteArray();
    }
}
