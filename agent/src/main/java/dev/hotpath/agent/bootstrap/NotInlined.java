package dev.hotpath.agent.bootstrap;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A recorder entry point that the JIT must call rather than inline into the instrumented JDK method. The build
 * ({@code dev.hotpath.agent.build.InlineMarks}, run before the bootstrap jar is made) renames this annotation to
 * HotSpot's {@code jdk.internal.vm.annotation.DontInline}, which the VM honours on classes the boot loader defines, as
 * the recorder's are; the agent compiles for release 11, where that annotation cannot be named.
 *
 * <p>Why: advice is inlined into {@code FileChannelImpl.read}, {@code FileOutputStream.write}, the socket channels'
 * reads and writes, their closes. With the recorder's code inlined there too, C2 compiled those JDK methods several
 * times larger, and their callers then no longer inlined them ("already compiled into a big method", "hot method too
 * big" in {@code -XX:+LogCompilation}): the host's own request path was compiled worse. On a saturated gateway that
 * cost more than the recorder's own work (GatewaySaturationHarness, session 21: 4.3% of throughput with the recorder
 * inlined, 1.2% with it called, {@code -XX:CompileCommand=dontinline}). A call costs a few nanoseconds.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface NotInlined {
}
