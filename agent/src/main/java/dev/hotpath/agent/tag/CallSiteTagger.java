package dev.hotpath.agent.tag;

import dev.hotpath.agent.bootstrap.CallSiteTags;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.utility.OpenedClassReader;

import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Tags the application's calls of the recorded JDK I/O primitives with their call site (see {@link CallSiteTags} for
 * why a tag is exactly what the stack walk would find, and {@link TagMethodVisitor} for the code). Application classes
 * only: not the JDK's (the same name prefixes as the walk skips), not hotpath's, not classes in named modules (they
 * do not read the bootstrap loader's unnamed module, where the tag table lives), not classes of loaders that do not
 * delegate {@code dev.hotpath.agent.bootstrap} to the bootstrap loader (OSGi-style isolation). A class whose constant
 * pool names none of the tagged owners is not parsed further; any failure leaves the class as it was (the walk then
 * finds its sites). A method without a tagged call is copied as is.
 *
 * <p>Only classes defined after the agent started are rewritten. Classes already loaded when {@code hotpath attach}
 * loads the agent are left alone and keep the walk: a thread running a method of a class being redefined (a worker
 * loop) keeps running its old version, whose frames the JVM then reports without source file and line (so every
 * walk from there would lose the line), and bytecode indexes would mean different lines in the two versions. For
 * the same reason a class retransformed later (by another agent, or JFR) is rewritten again exactly when it was
 * rewritten at its definition.
 */
public final class CallSiteTagger implements ClassFileTransformer {
    private static final String[] INTERNAL = {"java/", "jdk/", "sun/", "javax/", "com/sun/", "dev/hotpath/agent/"};

    /** The bootstrap tag table (a class, not a method reference: transform runs inside arbitrary class loads). */
    private static final TagMethodVisitor.SiteRegistrar REGISTER = new TagMethodVisitor.SiteRegistrar() {
        @Override
        public int register(String cls, String method, String file, int line) {
            return CallSiteTags.register(cls, method, file, line);
        }
    };
    private static final TagMethodVisitor.SiteRegistrar DRY_RUN = new TagMethodVisitor.SiteRegistrar() {
        @Override
        public int register(String cls, String method, String file, int line) {
            return 0;
        }
    };

    private final Map<ClassLoader, Boolean> loaders = new WeakHashMap<>();
    /** Classes rewritten when defined, per loader: only those are rewritten again when someone retransforms them. */
    private final Map<ClassLoader, Set<String>> tagged = new WeakHashMap<>();
    private volatile int failures;
    private volatile String firstFailure;

    /** Classes rewritten / failures (the class then stays as it was), for the debug line. */
    private volatile int rewritten;

    public int rewritten() {
        return rewritten;
    }

    public int failures() {
        return failures;
    }

    public String firstFailure() {
        return firstFailure;
    }

    static boolean internal(String internalName) {
        for (String p : INTERNAL) {
            if (internalName.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] bytes) {
        try {
            if (className == null || loader == null || bytes == null || internal(className)
                    || (module != null && module.isNamed())
                    || !seesTags(loader)) {
                return null;
            }
            if (redefined != null && !taggedAtDefinition(loader, className)) {
                return null; // see the class comment: a class keeps the layout it was defined with
            }
            byte[] out = rewrite(bytes, REGISTER);
            if (out != null && redefined == null) {
                rewritten++;
                synchronized (tagged) {
                    Set<String> names = tagged.get(loader);
                    if (names == null) {
                        names = new HashSet<>();
                        tagged.put(loader, names);
                    }
                    names.add(className);
                }
            }
            return out;
        } catch (Throwable t) {
            if (failures++ == 0) {
                firstFailure = className + ": " + t;
            }
            return null;
        }
    }

    private boolean taggedAtDefinition(ClassLoader loader, String className) {
        synchronized (tagged) {
            Set<String> names = tagged.get(loader);
            return names != null && names.contains(className);
        }
    }

    /** Whether {@code loader} resolves the tag table to the bootstrap loader's class (cached per loader). */
    private boolean seesTags(ClassLoader loader) {
        synchronized (loaders) {
            Boolean ok = loaders.get(loader);
            if (ok != null) {
                return ok;
            }
        }
        boolean ok;
        if (loader == ClassLoader.getSystemClassLoader() || loader == ClassLoader.getPlatformClassLoader()) {
            ok = true; // they delegate to the bootstrap loader first
        } else {
            try {
                ok = Class.forName(CallSiteTags.class.getName(), false, loader) == CallSiteTags.class;
            } catch (Throwable t) {
                ok = false;
            }
        }
        synchronized (loaders) {
            loaders.put(loader, ok);
        }
        return ok;
    }

    /** Whether the constant pool names one of the tagged owners (cheap: no parsing of the methods). */
    static boolean mentionsOwner(ClassReader reader) {
        Set<String> owners = TaggedCalls.owners();
        char[] buf = new char[reader.getMaxStringLength()];
        for (int i = 1; i < reader.getItemCount(); i++) {
            int offset = reader.getItem(i);
            // CONSTANT_Class (7): its u2 name index sits at offset
            if (offset > 0 && reader.readByte(offset - 1) == 7 && owners.contains(reader.readUTF8(offset, buf))) {
                return true;
            }
        }
        return false;
    }

    /** The class with its tagged calls rewritten, or {@code null} when it has none. */
    static byte[] rewrite(byte[] bytes, TagMethodVisitor.SiteRegistrar registrar) {
        ClassReader reader = OpenedClassReader.of(bytes);
        if (!mentionsOwner(reader)) {
            return null;
        }
        Survey survey = new Survey();
        reader.accept(survey, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        if (survey.candidates.isEmpty()) {
            return null;
        }
        ClassWriter writer = new ClassWriter(reader, 0);
        Rewriter rewriter = new Rewriter(writer, survey.candidates, registrar);
        reader.accept(rewriter, 0);
        return rewriter.tagged > 0 ? writer.toByteArray() : null;
    }

    /** First pass: the methods with a tagged call, and each one's {@code max_locals}. */
    private static final class Survey extends ClassVisitor {
        final Map<String, Integer> candidates = new HashMap<>();

        Survey() {
            super(OpenedClassReader.ASM_API);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            String key = name + descriptor;
            return new MethodVisitor(OpenedClassReader.ASM_API) {
                private boolean found;

                @Override
                public void visitMethodInsn(int opcode, String owner, String n, String d, boolean itf) {
                    if (opcode != Opcodes.INVOKESTATIC && TaggedCalls.tagged(owner, n, d)) {
                        found = true;
                    }
                }

                @Override
                public void visitMaxs(int maxStack, int maxLocals) {
                    if (found) {
                        candidates.put(key, maxLocals);
                    }
                }
            };
        }
    }

    /** Second pass: rewrites the candidate methods, copies the others unchanged. */
    private static final class Rewriter extends ClassVisitor {
        private final Map<String, Integer> candidates;
        private final TagMethodVisitor.SiteRegistrar registrar;
        private final List<TagMethodVisitor> visitors = new ArrayList<>();
        private String className;
        private String sourceFile;
        int tagged;

        Rewriter(ClassVisitor cv, Map<String, Integer> candidates, TagMethodVisitor.SiteRegistrar registrar) {
            super(OpenedClassReader.ASM_API, cv);
            this.candidates = candidates;
            this.registrar = registrar;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                          String[] interfaces) {
            className = name.replace('/', '.');
            super.visit(version, access, name, signature, superName, interfaces);
        }

        @Override
        public void visitSource(String source, String debug) {
            sourceFile = source;
            super.visitSource(source, debug);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            Integer maxLocals = candidates.get(name + descriptor);
            if (maxLocals == null || mv == null) {
                return mv;
            }
            // visitSource precedes every method in the class file order ASM visits
            TagMethodVisitor tv = new TagMethodVisitor(OpenedClassReader.ASM_API, mv, className, name, sourceFile,
                    maxLocals, registrar) {
                @Override
                public void visitEnd() {
                    Rewriter.this.tagged += this.tagged;
                    super.visitEnd();
                }
            };
            visitors.add(tv);
            return tv;
        }
    }

    /**
     * Runs the rewriting once on a class of our own before the transformer is registered, so that the classes it needs
     * are loaded now and not in the middle of an application's class load.
     */
    public static boolean warmUp() throws Exception {
        try (InputStream in = CallSiteTagger.class.getResourceAsStream("WarmUp.class")) {
            return in != null && rewrite(in.readAllBytes(), DRY_RUN) != null;
        }
    }

}
