package dev.hotpath.agent.advice;

import dev.hotpath.agent.bootstrap.Recorder;
import net.bytebuddy.asm.Advice;

/**
 * Exit of the method where each recorded stream, channel or socket class closes (JDK 17 and 25):
 * {@code FileInputStream/FileOutputStream/RandomAccessFile.close()}, {@code FileChannelImpl.implCloseChannel()},
 * {@code NioSocketImpl.close()}, {@code SocketChannelImpl/ServerSocketChannelImpl.implCloseSelectableChannel()}.
 * The object's state then leaves the stream table (see {@link Recorder#closed}). Also when close throws: the JDK
 * marks the object closed before the system call that may fail.
 */
public final class CloseAdvice {
    private CloseAdvice() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.This Object self) {
        Recorder.closed(self);
    }
}
