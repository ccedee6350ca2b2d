package dev.hotpath.agent;

import dev.hotpath.agent.advice.AsyncFileChannelAdvice;
import dev.hotpath.agent.advice.CloseAdvice;
import dev.hotpath.agent.advice.FileChannelAdvice;
import dev.hotpath.agent.advice.FileStreamAdvice;
import dev.hotpath.agent.advice.FilesCopyAdvice;
import dev.hotpath.agent.advice.SocketAdvice;
import dev.hotpath.agent.advice.SocketChannelAdvice;
import dev.hotpath.agent.bootstrap.CallSiteTags;
import dev.hotpath.agent.bootstrap.Descriptors;
import dev.hotpath.agent.bootstrap.Recorder;
import dev.hotpath.agent.tag.CallSiteTagger;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.Instrumentation;
import java.nio.ByteBuffer;
import java.security.ProtectionDomain;
import java.util.BitSet;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Which JDK methods get which advice, verified against the JDK 17 and JDK 25 sources (see {@code FileStreamAdvice}
 * and friends for why each is the right funnel), then one retransformation of the already-loaded classes.
 */
final class Instrumenter {
    private static final String[] TARGETS = {
        "java.io.FileInputStream", "java.io.FileOutputStream", "java.io.RandomAccessFile", "sun.nio.ch.FileChannelImpl",
        "sun.nio.ch.NioSocketImpl", "sun.nio.ch.SocketChannelImpl", "sun.nio.ch.ServerSocketChannelImpl",
        "sun.nio.ch.SimpleAsynchronousFileChannelImpl", "sun.nio.ch.PendingFuture", "sun.nio.fs.UnixChannelFactory",
        "java.nio.file.Files",
    };

    /** ByteBuddy's {@code net.bytebuddy.nexus.disabled}, as the shade relocation renamed it in our copy. */
    private static final String NEXUS_OFF = "dev.hotpath.agent.shaded.bytebuddy.nexus.disabled";

    private Instrumenter() {
    }

    static void install(AgentOptions o, Instrumentation inst, boolean attached) throws Exception {
        // java.base must read the bootstrap loader's unnamed module, where the recorder lives, and open java.io to it:
        // the recorder keys a stream's state by its descriptor number, FileDescriptor's private field (Descriptors)
        Module base = Object.class.getModule();
        Module recorder = Recorder.class.getModule();
        inst.redefineModule(base, Set.of(recorder), Collections.emptyMap(), Map.of("java.io", Set.of(recorder)),
                Collections.emptySet(), Collections.emptyMap());
        if (!Descriptors.available()) { // initialised now, after the opening, not inside a recorded operation
            System.err.println("hotpath-agent: file descriptor numbers are not readable; streams are found by identity"
                    + " hash");
        }

        ThreadGroup group = new ThreadGroup("hotpath-agent");
        group.setDaemon(false);
        Recorder.configure(o.maxSites, o.maxTargetsPerSite, o.sampleMean, o.timingPeriod(), group, o.include,
                o.exclude);
        Exporters.start(o, group);

        // Load every target now, so that one retransformation covers them all; the transformer stays registered
        // (a later retransformation by someone else, e.g. JFR's own file-event instrumentation, must keep our advice)
        // but ignores every other class by name, so it never runs ByteBuddy code while an unrelated class loads.
        for (String name : TARGETS) {
            Class.forName(name, false, null);
        }
        ErrorListener listener = new ErrorListener();
        // AgentBuilder.Default's constructor sets up the Nexus (self-injection of initializers, unused here: the
        // initialization strategy is NoOp); probing for it calls sun.misc.Unsafe, which JDK 24+ reports on the host's
        // stderr as a terminally deprecated call. The relocated property only switches off our shaded copy.
        if (System.getProperty(NEXUS_OFF) == null) {
            System.setProperty(NEXUS_OFF, "true");
        }
        new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
                .with(listener)
                .ignore(not(namedOneOf(TARGETS)))
                // runs the transformer once before it is registered, so that the classes it needs are loaded
                // now and not in the middle of an unrelated class load (ClassCircularityError otherwise)
                .warmUp(java.io.FileInputStream.class)
                .type(named("java.io.FileInputStream")).transform(new Apply(fileInputStream()))
                .type(named("java.io.FileOutputStream")).transform(new Apply(fileOutputStream()))
                .type(named("java.io.RandomAccessFile")).transform(new Apply(randomAccessFile()))
                .type(named("sun.nio.ch.FileChannelImpl")).transform(new Apply(fileChannel()))
                .type(named("sun.nio.ch.NioSocketImpl")).transform(new Apply(socketImpl()))
                .type(named("sun.nio.ch.SocketChannelImpl")).transform(new Apply(socketChannel()))
                .type(named("sun.nio.ch.ServerSocketChannelImpl")).transform(new Apply(serverSocketChannel()))
                .type(named("sun.nio.ch.SimpleAsynchronousFileChannelImpl")).transform(new Apply(asyncFileChannel()))
                .type(named("sun.nio.ch.PendingFuture")).transform(new Apply(new AsmVisitorWrapper[] {
                    Advice.to(AsyncFileChannelAdvice.SetResult.class).on(method("setResult", 2)),
                }))
                .type(named("sun.nio.fs.UnixChannelFactory")).transform(new Apply(new AsmVisitorWrapper[] {
                    Advice.to(AsyncFileChannelAdvice.Open.class).on(method("newAsynchronousFileChannel", 4)),
                }))
                .type(named("java.nio.file.Files")).transform(new Apply(new AsmVisitorWrapper[] {
                    Advice.to(FilesCopyAdvice.class).on(method("copy", 3).and(takesArgument(0, java.nio.file.Path.class))
                            .and(takesArgument(1, java.nio.file.Path.class))),
                }))
                .installOn(inst);
        if (listener.errors > 0) {
            System.err.println("hotpath-agent: " + listener.errors + " class(es) could not be instrumented: "
                    + listener.first);
        }
        boolean debug = Boolean.getBoolean("hotpath.agent.debug");
        if (debug) {
            System.err.println("hotpath-agent: instrumented " + listener.transformed);
        }
        if (o.tags) {
            tagCallSites(o, inst, group, debug);
        }
        // -Dhotpath.agent.instrumentOnly=true: every class instrumented and tagged, nothing recorded (the advice finds
        // recording off and returns), for a benchmark to tell the cost of the instrumentation from that of recording
        if (!Boolean.getBoolean("hotpath.agent.instrumentOnly")) {
            // read before recording starts: the agent's own read of /proc is not the host's I/O
            BitSet listening = ListeningPorts.read();
            for (int port = listening.nextSetBit(0); port >= 0; port = listening.nextSetBit(port + 1)) {
                Recorder.listening(port);
            }
            Recorder.enable();
        }
    }

    /**
     * Registers the call-site tagger for the application classes defined from now on (see CallSiteTagger for why not
     * the loaded ones). A failure here only costs the tags: every site is then found by a walk, as without them.
     */
    private static void tagCallSites(AgentOptions o, Instrumentation inst, ThreadGroup group, boolean debug) {
        try {
            CallSiteTags.capacity(4 * o.maxSites);
            if (!CallSiteTagger.warmUp()) {
                throw new IllegalStateException("the call-site tagger did not rewrite its warm-up class");
            }
            CallSiteTags.done(CallSiteTags.set(new Object(), 0)); // loads the slot classes now, not in a tagged call
            CallSiteTagger tagger = new CallSiteTagger();
            inst.addTransformer(tagger, true);
            if (debug) {
                Runtime.getRuntime().addShutdownHook(new Thread(group, new TagReport(tagger), "hotpath-tag-report"));
            }
        } catch (Throwable t) {
            System.err.println("hotpath-agent: call sites will be found by stack walks only: " + t);
        }
    }

    /** {@code -Dhotpath.agent.debug=true}: how the sites were found, printed at exit (tests assert on it). */
    private static final class TagReport implements Runnable {
        private final CallSiteTagger tagger;

        TagReport(CallSiteTagger tagger) {
            this.tagger = tagger;
        }

        @Override
        public void run() {
            System.err.println("hotpath-agent: tags: classes " + tagger.rewritten() + ", sites " + CallSiteTags.size()
                    + ", failures " + tagger.failures() + (tagger.firstFailure() == null ? "" : " (" + tagger.firstFailure()
                    + ")") + ", resolved by tag " + CallSiteTags.taggedResolutions() + ", by walk "
                    + CallSiteTags.walkedResolutions() + ", " + CallSiteTags.verification());
            System.err.println("hotpath-agent: stream states: " + Recorder.stateKeys());
        }
    }

    private static ElementMatcher.Junction<MethodDescription> method(String name, int args) {
        return named(name).and(takesArguments(args)).and(not(isNative())).and(not(isBridge()));
    }

    private static AsmVisitorWrapper[] fileInputStream() {
        return new AsmVisitorWrapper[] {
            Advice.to(FileStreamAdvice.ReadByte.class).on(method("read", 0)),
            Advice.to(FileStreamAdvice.ReadArray.class).on(method("read", 1).or(method("read", 3))),
            Advice.to(FileStreamAdvice.Skip.class).on(method("skip", 1)),
            Advice.to(CloseAdvice.class).on(method("close", 0)),
        };
    }

    private static AsmVisitorWrapper[] fileOutputStream() {
        return new AsmVisitorWrapper[] {
            Advice.to(FileStreamAdvice.WriteByte.class).on(method("write", 1).and(takesArgument(0, int.class))),
            Advice.to(FileStreamAdvice.WriteArray.class).on(method("write", 1).and(takesArgument(0, byte[].class))),
            Advice.to(FileStreamAdvice.WriteRange.class).on(method("write", 3).and(takesArgument(0, byte[].class))),
            Advice.to(CloseAdvice.class).on(method("close", 0)),
        };
    }

    private static AsmVisitorWrapper[] randomAccessFile() {
        return new AsmVisitorWrapper[] {
            Advice.to(FileStreamAdvice.ReadByte.class).on(method("read", 0)),
            Advice.to(FileStreamAdvice.ReadArray.class).on(method("read", 1).or(method("read", 3))),
            Advice.to(FileStreamAdvice.WriteByte.class).on(method("write", 1).and(takesArgument(0, int.class))),
            Advice.to(FileStreamAdvice.WriteArray.class).on(method("write", 1).and(takesArgument(0, byte[].class))),
            Advice.to(FileStreamAdvice.WriteRange.class).on(method("write", 3).and(takesArgument(0, byte[].class))),
            Advice.to(FileStreamAdvice.Seek.class).on(method("seek", 1)),
            Advice.to(CloseAdvice.class).on(method("close", 0)),
        };
    }

    private static AsmVisitorWrapper[] fileChannel() {
        return new AsmVisitorWrapper[] {
            Advice.to(FileChannelAdvice.ReadCurrent.class).on(method("read", 1).and(takesArgument(0, ByteBuffer.class))),
            Advice.to(FileChannelAdvice.WriteCurrent.class).on(method("write", 1).and(takesArgument(0, ByteBuffer.class))),
            Advice.to(FileChannelAdvice.ReadScatter.class).on(method("read", 3).and(takesArgument(0, ByteBuffer[].class))),
            Advice.to(FileChannelAdvice.WriteGather.class).on(method("write", 3).and(takesArgument(0, ByteBuffer[].class))),
            Advice.to(FileChannelAdvice.ReadAt.class).on(method("read", 2).and(takesArgument(1, long.class))),
            Advice.to(FileChannelAdvice.WriteAt.class).on(method("write", 2).and(takesArgument(1, long.class))),
            Advice.to(FileChannelAdvice.Force.class).on(method("force", 1)),
            Advice.to(FileChannelAdvice.TransferTo.class).on(method("transferTo", 3)),
            Advice.to(FileChannelAdvice.TransferFrom.class).on(method("transferFrom", 3)),
            Advice.to(FileChannelAdvice.Map.class).on(method("map", 3).and(takesArgument(1, long.class))),
            Advice.to(FileChannelAdvice.Position.class).on(method("position", 1).and(takesArgument(0, long.class))),
            Advice.to(CloseAdvice.class).on(method("implCloseChannel", 0)),
        };
    }

    private static AsmVisitorWrapper[] socketImpl() {
        return new AsmVisitorWrapper[] {
            Advice.to(SocketAdvice.Read.class).on(method("read", 3).and(takesArgument(0, byte[].class))),
            Advice.to(SocketAdvice.Write.class).on(method("write", 3).and(takesArgument(0, byte[].class))),
            Advice.to(SocketAdvice.Connect.class).on(method("connect", 2)
                    .and(takesArgument(0, java.net.SocketAddress.class))),
            Advice.to(SocketAdvice.Accept.class).on(method("accept", 1)),
            Advice.to(CloseAdvice.class).on(method("close", 0)),
        };
    }

    private static AsmVisitorWrapper[] socketChannel() {
        return new AsmVisitorWrapper[] {
            Advice.to(SocketChannelAdvice.Read.class).on(method("read", 1).and(takesArgument(0, ByteBuffer.class))),
            Advice.to(SocketChannelAdvice.Write.class).on(method("write", 1).and(takesArgument(0, ByteBuffer.class))),
            Advice.to(SocketChannelAdvice.ReadScatter.class).on(method("read", 3)
                    .and(takesArgument(0, ByteBuffer[].class))),
            Advice.to(SocketChannelAdvice.WriteGather.class).on(method("write", 3)
                    .and(takesArgument(0, ByteBuffer[].class))),
            Advice.to(SocketChannelAdvice.Connect.class).on(method("connect", 1)),
            Advice.to(CloseAdvice.class).on(method("implCloseSelectableChannel", 0)),
        };
    }

    private static AsmVisitorWrapper[] asyncFileChannel() {
        return new AsmVisitorWrapper[] {
            Advice.to(AsyncFileChannelAdvice.Read.class).on(method("implRead", 4)),
            Advice.to(AsyncFileChannelAdvice.Write.class).on(method("implWrite", 4)),
        };
    }

    private static AsmVisitorWrapper[] serverSocketChannel() {
        return new AsmVisitorWrapper[] {
            Advice.to(SocketChannelAdvice.Accept.class).on(method("accept", 0)),
            Advice.to(CloseAdvice.class).on(method("implCloseSelectableChannel", 0)),
        };
    }

    /** Applies a fixed list of advice to a matched type (a class rather than a lambda: no lambdas this early). */
    private static final class Apply implements AgentBuilder.Transformer {
        private final AsmVisitorWrapper[] wrappers;

        Apply(AsmVisitorWrapper[] wrappers) {
            this.wrappers = wrappers;
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
                                                ClassLoader loader, JavaModule module, ProtectionDomain domain) {
            DynamicType.Builder<?> b = builder;
            for (AsmVisitorWrapper w : wrappers) {
                b = b.visit(w);
            }
            return b;
        }
    }

    /** Counts transformation failures so that premain can report them in one line. */
    private static final class ErrorListener extends AgentBuilder.Listener.Adapter {
        int errors;
        String first;
        final java.util.List<String> transformed = new java.util.ArrayList<>();

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable t) {
            if (errors++ == 0) {
                first = typeName + ": " + t;
            }
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            transformed.add(type.getName());
        }
    }

}
