package dev.hotpath.agent.bootstrap;

import java.io.FileDescriptor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The file descriptor number of a JDK stream, channel or socket: where {@link StreamTable} looks for its state. An open
 * descriptor's number belongs to one open file at a time, so the states of open streams do not collide, their slots lie
 * in the numbers' order (a service's open descriptors are dense low numbers: their slots share a few cache lines), and
 * unlike an identity hash it costs nothing to get for a new object: the first identity hash of an object is a call into
 * the VM that installs it in the object's header, and a stream-per-request service paid it for every stream (the
 * call-site tag's and the table's hash, ~0.3% of a saturated gateway's CPU samples, GatewaySaturationHarness
 * {@code -Dprofile=true}, session 11).
 *
 * <p>{@code FileDescriptor.fd} is private to {@code java.io}: the agent opens that package to the recorder's module
 * before the first operation is recorded ({@link #available} is false without it, and every state is then found by
 * identity hash, as before). Numbers are only a place to look: the table compares the object itself, so two objects
 * on one descriptor (a stream and its {@code getChannel()}) or a number reused after a close cost a longer probe,
 * never a wrong state.
 */
public final class Descriptors {
    private static final VarHandle FD = handle();

    private Descriptors() {
    }

    private static VarHandle handle() {
        try {
            return MethodHandles.privateLookupIn(FileDescriptor.class, MethodHandles.lookup())
                    .findVarHandle(FileDescriptor.class, "fd", int.class);
        } catch (Throwable e) {
            return null;
        }
    }

    /** Whether descriptor numbers can be read (the agent opened {@code java.io} in time). */
    public static boolean available() {
        return FD != null;
    }

    /** The number of {@code fd}, or -1 when it is closed, missing or cannot be read. */
    public static int number(FileDescriptor fd) {
        if (FD == null || fd == null) {
            return -1;
        }
        return (int) FD.get(fd);
    }

    /**
     * Where the state of {@code stream} is kept: its descriptor number {@code fd} when it has one (0 or more), else
     * its identity hash (streams of no descriptor: tests, and objects whose descriptor is already closed).
     */
    static int key(Object stream, int fd) {
        return fd >= 0 ? fd : System.identityHashCode(stream);
    }
}
