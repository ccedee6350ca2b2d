package dev.hotpath.agent.tag;

import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Rewrites one method's tagged calls (see {@link TaggedCalls}):
 * <pre>
 *   ..., recv, a1..an   INVOKE owner.name(desc)
 * becomes
 *   ..., recv, a1..an   store an..a1 into fresh locals
 *   ..., recv           DUP; LDC site; INVOKESTATIC CallSiteTags.set(Object, int) -> Slot; ASTORE slot
 *   ..., recv, a1..an   load a1..an; INVOKE owner.name(desc)
 *   ..., result         ALOAD slot; INVOKESTATIC CallSiteTags.done(Slot)
 * </pre>
 * Straight-line code with no branch and no handler, and the fresh locals (past the method's own {@code max_locals})
 * are dead at every existing stack map frame, so no frame changes; {@code max_stack} grows by 2. The site is the
 * method's class, name, source file and the line of the last line-number entry before the call, which is the line
 * the JVM reports for the call's bytecode index once the tag code sits between that entry and the call.
 */
class TagMethodVisitor extends MethodVisitor {
    static final String TAGS = "dev/hotpath/agent/bootstrap/CallSiteTags";
    static final String SLOT = "L" + TAGS + "$Slot;";

    private final String className;
    private final String methodName;
    private final String sourceFile;
    private final int firstFreeLocal;
    private final SiteRegistrar registrar;
    private int line = -1;
    private int extraLocals;
    int tagged;

    /** Registers a site and returns its id, or -1 to leave the call untagged. */
    interface SiteRegistrar {
        int register(String cls, String method, String file, int line);
    }

    TagMethodVisitor(int api, MethodVisitor mv, String className, String methodName, String sourceFile,
                     int firstFreeLocal, SiteRegistrar registrar) {
        super(api, mv);
        this.className = className;
        this.methodName = methodName;
        this.sourceFile = sourceFile;
        this.firstFreeLocal = firstFreeLocal;
        this.registrar = registrar;
    }

    @Override
    public void visitLineNumber(int lineNumber, Label start) {
        line = lineNumber;
        super.visitLineNumber(lineNumber, start);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        if (opcode == Opcodes.INVOKESTATIC || !TaggedCalls.tagged(owner, name, descriptor)) {
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            return;
        }
        int site = registrar.register(className, methodName, sourceFile, line);
        if (site < 0) {
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            return;
        }
        Type[] args = Type.getArgumentTypes(descriptor);
        int[] at = new int[args.length];
        int next = firstFreeLocal;
        for (int i = 0; i < args.length; i++) {
            at[i] = next;
            next += args[i].getSize();
        }
        int slot = next++;
        extraLocals = Math.max(extraLocals, next - firstFreeLocal);
        for (int i = args.length - 1; i >= 0; i--) {
            super.visitVarInsn(args[i].getOpcode(Opcodes.ISTORE), at[i]);
        }
        super.visitInsn(Opcodes.DUP);
        super.visitLdcInsn(site);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, TAGS, "set", "(Ljava/lang/Object;I)" + SLOT, false);
        super.visitVarInsn(Opcodes.ASTORE, slot);
        for (int i = 0; i < args.length; i++) {
            super.visitVarInsn(args[i].getOpcode(Opcodes.ILOAD), at[i]);
        }
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        super.visitVarInsn(Opcodes.ALOAD, slot);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, TAGS, "done", "(" + SLOT + ")V", false);
        tagged++;
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        super.visitMaxs(maxStack + (tagged > 0 ? 2 : 0), Math.max(maxLocals, firstFreeLocal + extraLocals));
    }
}
