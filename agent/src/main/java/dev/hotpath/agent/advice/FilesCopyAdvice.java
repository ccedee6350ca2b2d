package dev.hotpath.agent.advice;

import dev.hotpath.agent.bootstrap.Recorder;
import net.bytebuddy.asm.Advice;

import java.nio.file.Path;

/**
 * Advice for {@code java.nio.file.Files.copy(Path, Path, CopyOption...)}: on Linux the default file system copies a
 * regular file in native code (sendfile/copy_file_range on JDK 17 and JDK 25), with no Java read or write the other
 * advice would see, so the copy is recorded as one {@code transfer} on the source file. Like a channel transfer it is
 * a compound operation: a provider that copies through streams (another file system) has its primitives left
 * uncounted, so nothing is counted twice.
 */
public final class FilesCopyAdvice {
    private FilesCopyAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static long enter() {
        return Recorder.startCompound();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter long start, @Advice.Argument(0) Path source, @Advice.Argument(1) Path target,
                     @Advice.Thrown Throwable t) {
        Recorder.endCopy(start, source, target, t);
    }
}
