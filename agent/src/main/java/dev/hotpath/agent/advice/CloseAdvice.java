package dev.hotpath.agent.advice;

import dev.hotpath.agent.bootstrap.Recorder;
import net.bytebuddy.asm.Advice;

import java.io.FileDescriptor;

/**
 * The method where each recorded stream, channel or socket class closes (JDK 17 and 25):
 * {@code FileInputStream/FileOutputStream/RandomAccessFile.close()}, {@code FileChannelImpl.implCloseChannel()},
 * {@code NioSocketImpl.close()}, {@code SocketChannelImpl/ServerSocketChannelImpl.implCloseSelectableChannel()}.
 * Each has a {@code fd} field (its own or {@code SocketImpl}'s), whose number is read on entry, before the close sets
 * it to -1. On exit the object's state leaves the stream table (see {@link Recorder#closed}), also when close throws:
 * the JDK marks the object closed before the system call that may fail.
 */
public final class CloseAdvice {
    private CloseAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static int enter(@Advice.FieldValue("fd") FileDescriptor fd) {
        return Recorder.fd(fd);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.This Object self, @Advice.Enter int fd) {
        Recorder.closed(self, fd);
    }
}
