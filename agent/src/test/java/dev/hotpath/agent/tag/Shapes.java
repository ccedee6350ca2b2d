package dev.hotpath.agent.tag;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;

/**
 * Tagged calls in the bytecode shapes that could trip a rewrite: a call whose result is a constructor argument
 * (uninitialized objects on the stack beneath), a call before {@code this(...)} in a constructor (uninitialized
 * {@code this}), a long argument behind a branch join, a call inside a loop and a try/catch, one in a static
 * initializer, an interface call, and a call whose receiver is null. Each is marked with a TAG comment.
 */
public final class Shapes {
    static final int STATIC_READ;

    static {
        int n;
        try {
            InputStream in = new ByteArrayInputStream(new byte[3]);
            n = in.read(new byte[8]); // TAG:clinit
        } catch (IOException e) {
            n = -2;
        }
        STATIC_READ = n;
    }

    final int first;

    public Shapes(InputStream in) throws IOException {
        this(in.read(new byte[4], 0, 4)); // TAG:beforeThis
    }

    private Shapes(int first) {
        this.first = first;
    }

    public static String asString(InputStream in) throws IOException {
        byte[] b = new byte[16];
        return new String(b, 0, Math.max(0, in.read(b, 0, b.length))); // TAG:ctorArgument
    }

    public static long loop(ReadableByteChannel ch, boolean small) throws IOException {
        long total = 0;
        ByteBuffer buf = ByteBuffer.allocate(small ? 2 : 5);
        for (int i = 0; i < 3; i++) {
            buf.clear();
            try {
                total += ch.read(buf); // TAG:interfaceInLoop
            } catch (IllegalStateException e) {
                total = -1;
            }
        }
        return total;
    }

    public static int longBehindJoin(OutputStream out, byte[] b, boolean all) throws IOException {
        out.write(b, all ? 0 : 1, all ? b.length : b.length - 1); // TAG:joinedArgs
        return b.length;
    }

    public static int nullReceiver() {
        OutputStream out = null;
        try {
            out.write(new byte[1]); // TAG:nullReceiver
            return 0;
        } catch (NullPointerException | IOException e) {
            return 1;
        }
    }

    public static String run() throws IOException {
        Shapes s = new Shapes(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5}));
        String text = asString(new ByteArrayInputStream("hello".getBytes()));
        long looped = loop(Channels.newChannel(new ByteArrayInputStream(new byte[12])), false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int written = longBehindJoin(out, new byte[] {9, 8, 7}, false);
        return STATIC_READ + " " + s.first + " " + text + " " + looped + " " + written + out.size() + " "
                + nullReceiver();
    }
}
