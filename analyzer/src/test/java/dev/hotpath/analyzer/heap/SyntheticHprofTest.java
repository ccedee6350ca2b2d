package dev.hotpath.analyzer.heap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hand-written HPROF 1.0.2 file with 4-byte ids (as a 32-bit JVM writes) and a known object graph, so that
 * dominators and retained sizes can be checked exactly:
 * <pre>
 *   JNI global → A;  A.left → B, A.right → C;  B.left → D, C.left → D;  D.left → E;  D.right → weak (WeakReference)
 *   weak.referent → F (excluded, as MAT does);  static Holder.ARR → Object[3] {A, null, null}
 * </pre>
 */
class SyntheticHprofTest {
    @TempDir
    Path dir;

    static final int ID = 4;

    private final ByteArrayOutputStream heap = new ByteArrayOutputStream();
    private final DataOutputStream h = new DataOutputStream(heap);

    @Test
    void idSize4DominatorsAndRetainedSizesAreExact() throws Exception {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        DataOutputStream f = new DataOutputStream(file);
        f.write("JAVA PROFILE 1.0.2\0".getBytes(StandardCharsets.ISO_8859_1));
        f.writeInt(ID);
        f.writeLong(0);
        String[] names = {"java/lang/Object", "java/lang/Class", "Node", "left", "right", "payload",
                "java/lang/ref/Reference", "referent", "java/lang/ref/WeakReference", "Holder", "ARR", "[Ljava/lang/Object;"};
        for (int i = 0; i < names.length; i++) {
            byte[] b = names[i].getBytes(StandardCharsets.UTF_8);
            record(f, 0x01, ID + b.length);
            f.writeInt(1000 + i);
            f.write(b);
        }
        // class ids 0x100.. ; LOAD_CLASS(serial, id, stack, nameId)
        int[][] classes = {{0x100, 1000}, {0x104, 1001}, {0x108, 1002}, {0x10c, 1006}, {0x110, 1008}, {0x114, 1009}, {0x118, 1011}};
        int serial = 1;
        for (int[] c : classes) {
            record(f, 0x02, 8 + 2 * ID);
            f.writeInt(serial++);
            f.writeInt(c[0]);
            f.writeInt(0);
            f.writeInt(c[1]);
        }
        classDump(0x100, 0, new int[0], new int[0], 0);
        classDump(0x104, 0x100, new int[0], new int[0], 0);
        classDump(0x108, 0x100, new int[] {1003, 1004, 1005}, new int[] {2, 2, 10}, 0);
        classDump(0x10c, 0x100, new int[] {1007}, new int[] {2}, 0);
        classDump(0x110, 0x10c, new int[0], new int[0], 0);
        classDump(0x114, 0x100, new int[0], new int[0], 0x400); // Holder with static ARR = 0x400
        classDump(0x118, 0x100, new int[0], new int[0], 0);
        for (int c : new int[] {0x100, 0x104, 0x108, 0x10c, 0x110, 0x114, 0x118}) {
            h.writeByte(0x05); // sticky class root
            h.writeInt(c);
        }
        h.writeByte(0x01); // JNI global → A
        h.writeInt(0x200);
        h.writeInt(0x999);
        // Node instances: left, right, payload (dump order: own fields)
        node(0x200, 0x210, 0x220); // A
        node(0x210, 0x230, 0);     // B
        node(0x220, 0x230, 0);     // C
        node(0x230, 0x240, 0x250); // D (right → the weak reference)
        node(0x240, 0, 0);         // E
        node(0x260, 0, 0);         // F, only weakly reachable
        // WeakReference: own fields none; Reference fields: referent
        h.writeByte(0x21);
        h.writeInt(0x250);
        h.writeInt(0);
        h.writeInt(0x110);
        h.writeInt(ID);
        h.writeInt(0x260);
        // Object[3] {A, null, null}
        h.writeByte(0x22);
        h.writeInt(0x400);
        h.writeInt(0);
        h.writeInt(3);
        h.writeInt(0x118);
        h.writeInt(0x200);
        h.writeInt(0);
        h.writeInt(0);
        byte[] seg = heap.toByteArray();
        record(f, 0x1C, seg.length);
        f.write(seg);
        record(f, 0x2C, 0);
        Path p = dir.resolve("synthetic32.hprof");
        Files.write(p, file.toByteArray());

        try (HeapAnalysis a = HeapAnalysis.open(p, dir)) {
            HeapIndex x = a.index;
            assertThat(x.idSize()).isEqualTo(4);
            assertThat(x.sizes()).isEqualTo(new SizeModel(8, 12, 4, 8));
            long A = x.nodeOf(0x200), B = x.nodeOf(0x210), C = x.nodeOf(0x220), D = x.nodeOf(0x230), E = x.nodeOf(0x240);
            long W = x.nodeOf(0x250), F = x.nodeOf(0x260), ARR = x.nodeOf(0x400);
            // Node: header 8 + left 4 + right 4 + payload 4 = 20 → 24; WeakReference: 8 + 4 = 12 → 16; Object[3]: 12 + 12 = 24
            assertThat(x.shallow(A)).isEqualTo(24);
            assertThat(x.shallow(W)).isEqualTo(16);
            assertThat(x.shallow(ARR)).isEqualTo(24);
            Dominators d = a.dominators;
            assertThat(d.idom(A)).isZero();
            assertThat(d.idom(B)).isEqualTo(A);
            assertThat(d.idom(C)).isEqualTo(A);
            assertThat(d.idom(D)).isEqualTo(A);
            assertThat(d.idom(E)).isEqualTo(D);
            assertThat(d.idom(W)).isEqualTo(D);
            assertThat(d.idom(F)).as("only weakly reachable").isEqualTo(-1);
            assertThat(d.retained(D)).isEqualTo(24 + 24 + 16);
            assertThat(d.retained(A)).isEqualTo(4 * 24 + 24 + 16);
            assertThat(d.retained(F)).isZero();
            assertThat(x.classOf(ARR).name()).isEqualTo("java.lang.Object[]");
            Holders holders = new Holders(a);
            assertThat(holders.anchor(ARR)).isEqualTo("static Holder.ARR");
            assertThat(holders.pathToRoot(E, 10)).containsExactly("Node@0x240", "Node@0x230 .left", "Node@0x210 .left",
                    "Node@0x200 .left (JNI global root)");
        }
    }

    private static void record(DataOutputStream f, int tag, int length) throws IOException {
        f.writeByte(tag);
        f.writeInt(0);
        f.writeInt(length);
    }

    private void classDump(int id, int superId, int[] fieldNames, int[] fieldTypes, int staticArr) throws IOException {
        h.writeByte(0x20);
        h.writeInt(id);
        h.writeInt(0);
        h.writeInt(superId);
        for (int i = 0; i < 5; i++) {
            h.writeInt(0);
        }
        h.writeInt(0);
        h.writeShort(0);
        if (staticArr != 0) {
            h.writeShort(1);
            h.writeInt(1010);
            h.writeByte(2);
            h.writeInt(staticArr);
        } else {
            h.writeShort(0);
        }
        h.writeShort(fieldNames.length);
        for (int i = 0; i < fieldNames.length; i++) {
            h.writeInt(fieldNames[i]);
            h.writeByte(fieldTypes[i]);
        }
    }

    private void node(int id, int left, int right) throws IOException {
        h.writeByte(0x21);
        h.writeInt(id);
        h.writeInt(0);
        h.writeInt(0x108);
        h.writeInt(3 * 4);
        h.writeInt(left);
        h.writeInt(right);
        h.writeInt(7);
    }
}
