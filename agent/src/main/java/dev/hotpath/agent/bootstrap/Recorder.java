package dev.hotpath.agent.bootstrap;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.CompletionHandler;
import java.util.IdentityHashMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The per-call-site I/O recorder. Advice inlined into JDK classes calls the static methods here; this class sits on
 * the bootstrap class path so that {@code java.base} can see it.
 *
 * <h2>What is counted</h2>
 * Every call of an instrumented primitive (a read, write, force, transfer, map, connect or accept that reaches the
 * OS) is counted exactly once, with the bytes it actually transferred, its latency, and whether it threw. Compound
 * JDK helpers ({@code readAllBytes}, {@code Files.readAllBytes}, {@code readFully}) count as the primitive calls they
 * make; the primitives a transfer makes internally are counted as the one transfer only.
 *
 * <h2>How exact the call site is</h2>
 * Walking the stack costs more than a small write (~2.3 us against ~1.25 us), so the site is cached per stream,
 * channel or socket and per op. The first operation of each op on a stream resolves its site — from the call-site tag
 * of the application's call when there is one ({@link CallSiteTags}, exactly the walk's answer), else by walking the
 * stack; after that the site is resolved again on a pseudo-random sample: gaps uniform in [1, 2*mean-1], the mean
 * starting at {@value #DEFAULT_SAMPLE_MEAN} (option {@code sample=N}) and doubling after each walk, up to 64 x
 * {@code sample}, whatever the walk found. A walk that finds a different site switches the stream to it. Consequently:
 * <ul>
 *   <li>totals per kind, op and target are exact: every operation lands on exactly one key of that kind, op and
 *       target;</li>
 *   <li>a stream used from a single site has all its operations on that site (the common case);</li>
 *   <li>when a stream starts being used from a second site, the operations of the new site until the next sampled
 *       walk (at most 2*64*{@code sample}-1 = 32767 operations of that stream by default; fewer on a young stream)
 *       are counted on the previous site;</li>
 *   <li>a stream used alternately from several sites has its operations split between them by sample: each walk
 *       gives the site of the operation it ran in the next gap's operations, and the gap's length does not depend on
 *       what the walk found, so each site's expected share is its share of the stream's operations (for a mix that
 *       does not drift); not exact. Such a stream walks as seldom as any other: gaps that restarted short whenever a
 *       walk found another site made a stream written from two sites in a 1:3 mix walk 36,478 times in 400,000
 *       writes at {@code sample=1}, against 6,270 now ({@code SampledSitesIT}); a keep-alive socket, read and
 *       written by both a server's own frames and its handler, is such a stream.</li>
 * </ul>
 *
 * <h2>What is timed</h2>
 * Every operation is counted with its bytes and access pattern. Latency needs two clock reads (~30 ns each here),
 * so fast reads and writes are timed on a per-stream sample (see {@link #clock}); the histogram, sum and maximum of a
 * key are over its timed operations, and JFR events ({@code jfr=true}, which times every operation unless
 * {@code timing=N} says otherwise) only come from timed ones.
 *
 * <h2>Never harming the host</h2>
 * Nothing here throws to the caller: any failure disables recording for good and prints one line to stderr. Streams
 * first used by one of the agent's own threads (its {@link ThreadGroup}) are marked ignored, so the agent's snapshot
 * and metrics I/O is not traced. Memory is bounded: {@code maxSites} named (site, target) pairs (see
 * {@link SiteRegistry}), a weak stream table of bounded size and one pending state per thread ({@link #newState}).
 */
public final class Recorder {
    public static final long DISABLED = Long.MIN_VALUE;
    public static final int DEFAULT_SAMPLE_MEAN = 256;
    /** {@link #clock}'s value for an operation counted but not timed (nanoTime never returns it in practice). */
    public static final long UNTIMED = Long.MIN_VALUE + 1;
    /** Operations at least this slow make the next ones of their stream and op timed every time. */
    static final long SLOW_NANOS = 100_000;
    private static final int TIMED_FIRST = 16;
    /**
     * Resolutions double the gap to the next one at most this many times. A walk after a system call finds the
     * caches cold and costs 30-100 us of CPU (profiled in AgentCpuCostHarness): at a mean gap of 16 x 256 that was a
     * fifth of the agent's cost on a 128-byte write loop; at 64 x 256 it is a twentieth.
     */
    static final int MAX_GAP_SHIFT = 6;
    private static final String JDK_SITE = "(jdk)";
    /** Operations whose every frame is the JDK's (its own threads): one site for {@link #counterAt}. */
    private static final CallSites.Site JDK_FRAMES = new CallSites.Site(JDK_SITE, "", "", -1);
    /** Test hook: fail on the Nth recorded operation, to prove a failure only disables recording. */
    private static final long TEST_FAIL_AT = Long.getLong("hotpath.agent.testFailAt", 0L);
    /** Test hook: walk also when a tag gave the site, and count where they differ (see CallSiteTags#verify). */
    private static final boolean VERIFY_TAGS = Boolean.getBoolean("hotpath.agent.verifyTags");
    private static final SiteCounter EXCLUDED = new SiteCounter("", "", "", -1, 0, 0, "");
    /**
     * Benchmark switch ({@code -Dhotpath.agent.ablate=}, as {@code instrumentOnly} in the Instrumenter): what the
     * recorder leaves out, to measure what each part costs a host. {@code detail}: each operation's key is resolved
     * and its count, bytes and errors added, but no latency (histogram, sum, maximum), access pattern, distinct
     * blocks, tally or event; {@code keys}: that and no key either, each operation added to one total per op that no
     * exporter reads (the snapshot stays empty); {@code distinct}: everything but the distinct-block marks of file
     * reads. Everything else, the advice, the stream states, the tags and the clock, runs as usual; an
     * AsynchronousFileChannel's completions, counted on their own path, are recorded whole. Unset (the default):
     * everything is recorded. Final, so the JIT drops the unused branch.
     */
    private static final String ABLATE = System.getProperty("hotpath.agent.ablate", "");
    private static final boolean ABLATE_KEYS = ABLATE.equals("keys");
    private static final boolean ABLATE_DETAIL = ABLATE_KEYS || ABLATE.equals("detail");
    private static final boolean ABLATE_DISTINCT = ABLATE.equals("distinct");
    private static final long[][] ABLATED_TOTALS = ablatedTotals();

    private static volatile boolean enabled;
    private static volatile SiteRegistry registry = new SiteRegistry(4096);
    private static final StreamTable TABLE = new StreamTable(1 << 10, 1 << 20);
    private static volatile ThreadGroup agentGroup;
    private static volatile IoEventSink sink;
    private static volatile long eventThresholdNanos = -1;
    private static volatile int sampleMean = DEFAULT_SAMPLE_MEAN;
    /** Power of two minus one: time the operations whose per-stream tick has these bits clear. */
    private static volatile int timingMask = 31;
    private static volatile String[] include = new String[0];
    private static volatile String[] exclude = new String[0];
    private static volatile long startedAtMillis = System.currentTimeMillis();
    private static volatile boolean failed;
    private static long testOps;

    /** Future-form asynchronous operations not yet completed, by their Future; bounded by {@link #MAX_PENDING}. */
    private static final IdentityHashMap<Object, AsyncOp> PENDING = new IdentityHashMap<>();
    private static final int MAX_PENDING = 1 << 16;
    private static volatile int pendingCount;

    private static volatile int compounds;
    /**
     * Threads inside a compound operation, the first {@link #compounds} of them (guarded by {@link #COMPOUND_LOCK};
     * compared by identity in a loop of the recorder's own: {@code ArrayList.contains} would call {@code equals} from
     * the host's own profile of it, see {@link OwnMap}).
     */
    private static Thread[] compoundThreads = new Thread[8];
    private static final Object COMPOUND_LOCK = new Object();

    private Recorder() {
    }

    /** {@link #configure(int, int, int, int, ThreadGroup, String[], String[])} with the default share per site. */
    public static void configure(int maxSites, int meanSampleGap, int timingPeriod, ThreadGroup ownThreads,
                                 String[] includePrefixes, String[] excludePrefixes) {
        configure(maxSites, 0, meanSampleGap, timingPeriod, ownThreads, includePrefixes, excludePrefixes);
    }

    /**
     * Called once by the agent before {@link #enable()}.
     *
     * @param maxTargetsPerSite named (site, target) pairs one site may hold; 0: the default (see {@link SiteRegistry})
     */
    public static void configure(int maxSites, int maxTargetsPerSite, int meanSampleGap, int timingPeriod,
                                 ThreadGroup ownThreads, String[] includePrefixes, String[] excludePrefixes) {
        registry = new SiteRegistry(maxSites, maxTargetsPerSite);
        timingMask = Integer.highestOneBit(Math.max(1, timingPeriod) * 2 - 1) - 1;
        sampleMean = Math.max(1, meanSampleGap);
        agentGroup = ownThreads;
        include = includePrefixes.clone();
        exclude = excludePrefixes.clone();
        startedAtMillis = System.currentTimeMillis();
    }

    /** Operations lasting at least {@code thresholdNanos} are also passed to the sink (negative: none). */
    public static void eventSink(IoEventSink s, long thresholdNanos) {
        sink = s;
        eventThresholdNanos = s == null ? -1 : thresholdNanos;
    }

    public static void enable() {
        if (!failed) {
            enabled = true;
        }
    }

    /**
     * Stops recording, for the exit snapshot: operations that begin from now on are not counted; those already past
     * their entry still finish and are counted. The hot path is unchanged (it already reads {@code enabled}).
     */
    public static void disable() {
        enabled = false;
    }

    public static boolean isEnabled() {
        return enabled;
    }

    public static boolean hasFailed() {
        return failed;
    }

    public static long startedAtMillis() {
        return startedAtMillis;
    }

    /** The keys, each with every operation finished so far (the table's tallies are settled first, see {@link Tally}). */
    public static SiteCounter[] counters() {
        TABLE.settleAll();
        return registry.all();
    }

    public static long dropped() {
        return registry.dropped();
    }

    // ---------------------------------------------------------------- entry points for advice

    /**
     * {@link #fileState(Object, String, int)} of a stream whose descriptor number is not known (an asynchronous
     * channel's, at its opening and at each submission), found by identity hash.
     */
    public static StreamState fileState(Object stream, String path) {
        return fileState(stream, path, -1, false);
    }

    /**
     * Method entry of a file operation on {@code stream} (a FileInputStream, FileOutputStream, RandomAccessFile or
     * FileChannel) whose file descriptor number is {@code fd} (-1: unknown, see {@link #fd}): its state, or
     * {@code null} when nothing is to be recorded (recording off, an agent thread's stream). The one table lookup of
     * the operation; exit gets the state back from the advice.
     */
    public static StreamState fileState(Object stream, String path, int fd) {
        return fileState(stream, path, fd, true);
    }

    /** @param atOp called at an operation's entry (see {@link #fileStateOf}) */
    private static StreamState fileState(Object stream, String path, int fd, boolean atOp) {
        if (!enabled) {
            return null;
        }
        try {
            StreamState st = fileStateOf(stream, path, fd, atOp);
            return st.ignored ? null : st;
        } catch (Throwable e) {
            fail(e);
            return null;
        }
    }

    /**
     * Method entry of a socket operation; {@code address}: the peer, an InetAddress (with {@code port}) or
     * InetSocketAddress. For a connect or an accept (whose target is the listening address).
     */
    public static StreamState socketState(Object sock, Object address, int port) {
        return socket(sock, address, port, null, -1, -1);
    }

    /** {@link #socketState(Object, Object, int)} of a socket on descriptor {@code fd} (a connect). */
    public static StreamState socketState(Object sock, Object address, int port, FileDescriptor fd) {
        return socket(sock, address, port, null, -1, fd(fd));
    }

    /**
     * Method entry of a read or write on a connected socket whose local port is {@code localPort} (-1: unknown). A
     * connection accepted on a port this JVM listens on ({@link #acceptState}) has the peer's host as its target,
     * without the peer's port: {@code 10.0.0.7 (client of :8080)}. A client's port is ephemeral, new for every
     * connection, so a server's per-connection targets would fill {@code maxSites} with connections long closed (a
     * keep-alive HTTP server churns through thousands) and split one client host's traffic over as many keys, where
     * the question is which hosts load which of the server's ports.
     */
    public static StreamState socketState(Object sock, Object address, int port, int localPort) {
        return socket(sock, address, port, null, localPort, -1);
    }

    /** {@link #socketState(Object, Object, int, int)} of a socket on descriptor {@code fd}. */
    public static StreamState socketState(Object sock, Object address, int port, int localPort, FileDescriptor fd) {
        return socket(sock, address, port, null, localPort, fd(fd));
    }

    /** {@link #socketState(Object, Object, int, int)} of a channel: {@code local} is its local InetSocketAddress. */
    public static StreamState channelState(Object channel, Object remote, Object local) {
        return socket(channel, remote, 0, local, -1, -1);
    }

    /** {@link #channelState(Object, Object, Object)} of a channel on descriptor number {@code fdVal}. */
    public static StreamState channelState(Object channel, Object remote, Object local, int fdVal) {
        return socket(channel, remote, 0, local, -1, fdVal);
    }

    /** The local port comes from {@code local} (an InetSocketAddress) when given, else {@code localPort}: on a miss. */
    private static StreamState socket(Object sock, Object address, int port, Object local, int localPort, int fd) {
        if (!enabled) {
            return null;
        }
        try {
            int key = Descriptors.key(sock, fd);
            StreamState st = TABLE.get(sock, key);
            if (st == null) {
                CallSiteTags.Slot slot = CallSiteTags.slot();
                st = pending(slot, sock);
                if (st == null) {
                    int lp = local instanceof InetSocketAddress ? ((InetSocketAddress) local).getPort() : localPort;
                    st = newState(slot, sock, Ops.KIND_SOCKET, socketTarget(address, port, lp), key, fd, true);
                }
            }
            return st.ignored ? null : st;
        } catch (Throwable e) {
            fail(e);
            return null;
        }
    }

    /**
     * Method entry of an accept: {@link #socketState} of the listening socket ({@code address}: its InetAddress with
     * {@code port}, or its InetSocketAddress), and its port is remembered as one this JVM accepts connections on.
     */
    public static StreamState acceptState(Object server, Object address, int port) {
        return acceptState(server, address, port, -1);
    }

    /** {@link #acceptState(Object, Object, int)} of a listening socket on descriptor number {@code fd}. */
    public static StreamState acceptState(Object server, Object address, int port, int fd) {
        if (enabled) {
            try {
                listening(address instanceof InetSocketAddress ? ((InetSocketAddress) address).getPort() : port);
            } catch (Throwable e) {
                fail(e);
                return null;
            }
        }
        return socket(server, address, port, null, -1, fd);
    }

    /** The number of a stream's file descriptor for the table ({@link Descriptors}); -1 when it is not known. */
    public static int fd(FileDescriptor fd) {
        try {
            return Descriptors.number(fd);
        } catch (Throwable e) {
            return -1;
        }
    }

    /**
     * Ports this JVM accepted connections on, one bit per port; bits are only ever set (under the array's lock), and
     * read without it when a socket's state is created: an accepted socket reaches the thread that uses it after the
     * accept that set its port's bit (the same thread, or a hand-off that publishes it).
     */
    private static final long[] LISTENING = new long[1024];

    /** {@code port} is one this JVM accepts connections on (at each accept, and the agent's seed at start). */
    public static void listening(int port) {
        if (port > 0 && port < 65536 && !isListening(port)) {
            synchronized (LISTENING) {
                LISTENING[port >>> 6] |= 1L << port;
            }
        }
    }

    static boolean isListening(int port) {
        return port > 0 && port < 65536 && (LISTENING[port >>> 6] & 1L << port) != 0;
    }

    /**
     * The start time of an operation, or {@link #UNTIMED}. A clock read pair (~60 ns here) is 5% of a 128-byte write,
     * so reads and writes are timed on a sample: the first {@value #TIMED_FIRST} operations of each stream, then one
     * in {@code timing} (option, default 32), and every one while that op's last timed call on the stream took at
     * least {@link #SLOW_NANOS} (then the clock is noise). Force, transfer, map, connect and accept are always timed.
     * Counts, bytes and patterns do not depend on this: every operation is counted.
     */
    public static long clock(StreamState st, int op) {
        if (st == null) {
            return UNTIMED;
        }
        int n = st.ticks++;
        if (op > Ops.WRITE || (n & timingMask) == 0 || (n >= 0 && n < TIMED_FIRST)
                || (st.slowOps & (1 << op)) != 0) {
            return System.nanoTime();
        }
        return UNTIMED;
    }

    /** Method exit of an operation begun with {@link #fileState}/{@link #socketState} and {@link #clock}. */
    public static void end(StreamState st, int op, long start, long bytes, long position, Throwable t) {
        if (st == null) {
            return;
        }
        long nanos = start == UNTIMED ? -1 : System.nanoTime() - start;
        try {
            if (TEST_FAIL_AT > 0) {
                testFailure();
            }
            if (nanos >= 0) {
                int bit = 1 << op;
                boolean slow = nanos >= SLOW_NANOS;
                if (slow != ((st.slowOps & bit) != 0)) {
                    st.slowOps ^= bit;
                }
            }
            record(st, op, nanos < 0 ? -1 : Math.max(nanos, 0), bytes, t != null, position);
            if (t != null) {
                CallSiteTags.clearIf(st.get());
            }
        } catch (Throwable e) {
            fail(e);
        }
    }

    /** A file operation recorded in one call at exit (compound operations); always timed. */
    static void file(Object stream, String path, int fd, int op, long start, long bytes, long position, Throwable t) {
        if (start == DISABLED) {
            return;
        }
        long nanos = System.nanoTime() - start;
        try {
            if (TEST_FAIL_AT > 0) {
                testFailure();
            }
            StreamState st = fileStateOf(stream, path, fd, false);
            if (!st.ignored) {
                record(st, op, Math.max(nanos, 0), bytes, t != null, position);
            }
            if (t != null) {
                CallSiteTags.clearIf(stream);
            }
        } catch (Throwable e) {
            fail(e);
        }
    }

    // ---------------------------------------------------------------- AsynchronousFileChannel

    /**
     * An asynchronous read/write is being submitted (caller's thread): resolves its call site now, as for any
     * operation on the channel. {@code null} when nothing is to be recorded.
     */
    public static AsyncOp asyncSubmit(StreamState st, int op, long position, int requested) {
        if (st == null) {
            return null;
        }
        try {
            int calledFrom = takeCalledFrom(st);
            long[] cells = st.cells(op);
            if (cells == null || --st.countdown <= 0) {
                cells = resolve(st, op, calledFrom);
            }
            if (cells == EXCLUDED.cells) {
                return null;
            }
            SiteCounter c = owner(st.counter(op), cells);
            if (c == null) {
                return null; // cells of a registry replaced since (tests)
            }
            // classified here, in submission order: completions may be recorded out of order
            int pattern = position == st.lastEnd ? 1 : 2;
            st.lastEnd = position + Math.max(requested, 0);
            if (op == Ops.READ) {
                DistinctBlocks.mark(c.cells, position, st.lastEnd); // the requested range (the result is not known yet)
            }
            return new AsyncOp(st, c, op, pattern, System.nanoTime());
        } catch (Throwable e) {
            fail(e);
            return null;
        }
    }

    /** The handler to pass on: the application's, wrapped so that its completion records the operation. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static CompletionHandler asyncHandler(AsyncOp a, CompletionHandler handler) {
        if (a == null || handler == null) {
            return handler;
        }
        try {
            return new AsyncHandler(a, handler);
        } catch (Throwable e) {
            fail(e);
            return handler;
        }
    }

    /**
     * The submitting method returned: a Future-form operation is remembered until {@code PendingFuture.setResult}
     * (see {@link #futureSet}) or, if it is already done, recorded now; a submission that threw is recorded as one
     * failed operation.
     */
    public static void asyncReturned(AsyncOp a, Future<?> f, Throwable thrown) {
        if (a == null) {
            return;
        }
        try {
            if (thrown != null) {
                CallSiteTags.clearIf(a.state.get());
                asyncDone(a, null, thrown);
                return;
            }
            if (f == null) {
                return; // handler form: the wrapped handler records it
            }
            synchronized (PENDING) {
                if (PENDING.size() < MAX_PENDING) {
                    PENDING.put(f, a);
                    pendingCount = PENDING.size();
                }
            }
            if (f.isDone()) {
                synchronized (PENDING) {
                    PENDING.remove(f);
                    pendingCount = PENDING.size();
                }
                Object result = null;
                Throwable exc = null;
                try {
                    result = f.get();
                } catch (ExecutionException e) {
                    exc = e.getCause();
                } catch (CancellationException e) {
                    exc = e;
                }
                asyncDone(a, result, exc);
            }
        } catch (Throwable e) {
            fail(e);
        }
    }

    /** Exit of {@code sun.nio.ch.PendingFuture.setResult(V, Throwable)} (asynchronous channels of every kind). */
    public static void futureSet(Object future, Object result, Throwable exc) {
        if (pendingCount == 0) {
            return;
        }
        try {
            AsyncOp a;
            synchronized (PENDING) {
                a = PENDING.remove(future);
                pendingCount = PENDING.size();
            }
            if (a != null) {
                asyncDone(a, result, exc);
            }
        } catch (Throwable e) {
            fail(e);
        }
    }

    static void asyncDone(AsyncOp a, Object result, Throwable exc) {
        try {
            if (!enabled || !a.claim()) {
                return;
            }
            long nanos = Math.max(System.nanoTime() - a.start, 0);
            int n = result instanceof Integer ? (Integer) result : 0;
            count(a.counter, a.op, nanos, Math.max(n, 0), exc != null, a.pattern);
        } catch (Throwable e) {
            fail(e);
        }
    }

    /** RandomAccessFile.seek / FileChannel.position(long): the next op at the current position starts at {@code pos}. */
    public static void seek(Object stream, String path, int fd, long pos) {
        if (!enabled) {
            return;
        }
        try {
            StreamState st = fileStateOf(stream, path, fd, false);
            st.nextPos = pos;
        } catch (Throwable e) {
            fail(e);
        }
    }

    /** FileInputStream.skip: the position moved by {@code skipped} bytes. */
    public static void skip(Object stream, String path, int fd, long skipped) {
        if (!enabled) {
            return;
        }
        try {
            StreamState st = fileStateOf(stream, path, fd, false);
            st.nextPos += skipped;
        } catch (Throwable e) {
            fail(e);
        }
    }

    /**
     * Start of an operation that may call other instrumented primitives (transferTo/transferFrom): until
     * {@link #endCompound} the current thread's primitives are not counted, so the transfer counts once.
     */
    public static long startCompound() {
        if (!enabled) {
            return DISABLED;
        }
        try {
            synchronized (COMPOUND_LOCK) {
                int n = compounds;
                if (n == compoundThreads.length) {
                    compoundThreads = java.util.Arrays.copyOf(compoundThreads, n * 2);
                }
                compoundThreads[n] = Thread.currentThread();
                compounds = n + 1;
            }
        } catch (Throwable e) {
            fail(e);
            return DISABLED;
        }
        return System.nanoTime();
    }

    public static void endCompound(Object channel, String path, int fd, int op, long start, long bytes,
                                   long position, Throwable t) {
        if (start == DISABLED) {
            return;
        }
        try {
            leaveCompound();
        } catch (Throwable e) {
            fail(e);
            return;
        }
        file(channel, path, fd, op, start, bytes, position, t);
    }

    /** Ends the current thread's compound operation begun by {@link #startCompound}. */
    private static void leaveCompound() {
        Thread me = Thread.currentThread();
        synchronized (COMPOUND_LOCK) {
            Thread[] t = compoundThreads;
            int n = compounds;
            for (int i = 0; i < n; i++) {
                if (t[i] == me) { // the first entry, as a list's remove: a nested compound leaves the outer one's
                    System.arraycopy(t, i + 1, t, i, n - i - 1);
                    t[n - 1] = null;
                    compounds = n - 1;
                    return;
                }
            }
        }
    }

    /**
     * Exit of {@code Files.copy(Path, Path, ...)} (begun with {@link #startCompound}): one transfer on the source
     * file, its bytes the size of the copy (a stat of the target; none when the copy failed or made a directory).
     * A copy has no stream object to cache a site on, so each walks the stack: a copy costs far more than a walk.
     */
    public static void endCopy(long start, Object source, Object target, Throwable t) {
        if (start == DISABLED) {
            return;
        }
        try {
            leaveCompound();
            if (!enabled || compounds != 0 && insideCompound()) {
                return;
            }
            long nanos = Math.max(System.nanoTime() - start, 0);
            if (onAgentThread()) {
                return;
            }
            long bytes = 0;
            if (t == null && target instanceof java.nio.file.Path) {
                java.nio.file.Path p = (java.nio.file.Path) target;
                if (java.nio.file.Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    bytes = java.nio.file.Files.size(p);
                }
            }
            String name = String.valueOf(source);
            StreamState st = new StreamState(Ops.KIND_FILE, name, false, System.identityHashCode(source));
            record(st, Ops.TRANSFER, nanos, bytes, t != null, Ops.NONE);
        } catch (Throwable e) {
            fail(e);
        }
    }

    /**
     * A stream, channel or socket on descriptor number {@code fd} (read when its close began: the close sets it to -1)
     * was closed: its state is pushed on the table's lock-free stack of closed states ({@link StreamTable#closedLater}),
     * so the next insert deletes it under the lock it already holds. The close itself takes no lock (a table lock taken
     * at close made a JDK 25 test with ten thousand virtual threads hang; the reference queue's lock and
     * {@code notifyAll}, used until session 10, cost a call into the VM per close): a stream-per-request service keeps
     * at most its open streams in the table. An operation after the close (which fails) is counted on the state while
     * it is still there, on a new one after.
     */
    public static void closed(Object stream, int fd) {
        if (!enabled) {
            return;
        }
        try {
            CallSiteTags.Slot slot = CallSiteTags.slot();
            StreamState p = slot.pendingOf(stream);
            if (p != null) {
                slot.pending = null; // never in the table: nothing more to do but clear its tag's entry
                CallSiteTags.forget(p);
                return;
            }
            StreamState st = TABLE.get(stream, Descriptors.key(stream, fd));
            if (st != null) {
                TABLE.closedLater(st);
            }
        } catch (Throwable e) {
            fail(e);
        }
    }

    // ---------------------------------------------------------------- internals

    /** @param nanos the latency, or -1 when the operation was not timed */
    private static void record(StreamState st, int op, long nanos, long bytes, boolean error, long position) {
        int calledFrom = takeCalledFrom(st);
        if (compounds != 0 && insideCompound()) {
            return;
        }
        if (ABLATE_KEYS) {
            SiteCounter.add(ABLATED_TOTALS[op], st.stripe, bytes, error, 0);
            return;
        }
        long[] cells = st.cells(op);
        if (cells == null || --st.countdown <= 0) {
            cells = resolve(st, op, calledFrom);
            st.checkTally(op, cells, Thread.currentThread());
        }
        if (cells == EXCLUDED.cells) {
            return;
        }
        if (ABLATE_DETAIL) {
            SiteCounter.add(cells, st.stripe, bytes, error, 0);
        } else {
            recordAt(st, cells, op, nanos, bytes, error, position);
        }
    }

    /** Per op, the cells {@code -Dhotpath.agent.ablate=keys} counts into (see {@link #ABLATE}); none otherwise. */
    private static long[][] ablatedTotals() {
        long[][] totals = new long[ABLATE_KEYS ? Ops.COUNT : 0][];
        for (int op = 0; op < totals.length; op++) {
            totals[op] = new long[SiteCounter.LENGTH];
        }
        return totals;
    }

    /**
     * The counter whose cells are {@code cells}: {@code hint} (the state's, see {@link StreamState#counter(int)}) when
     * it is, else the registry's; {@code null} when no key of the current registry has them (a registry replaced
     * since, in tests). Read on the rare paths only (latencies outside the home chunks, events, sampled
     * re-validations, asynchronous operations): the hot path counts into the cells and never reads the counter.
     */
    static SiteCounter owner(SiteCounter hint, long[] cells) {
        return hint != null && hint.cells == cells ? hint : registry.owner(cells);
    }

    /** @param cells the key's cells, as the resolution returned them or the state cached them */
    private static void recordAt(StreamState st, long[] cells, int op, long nanos, long bytes, boolean error,
                                 long position) {
        int pattern = 0;
        if (position != Ops.NONE) {
            long begin = position == Ops.CURRENT ? st.nextPos : position;
            pattern = begin == st.lastEnd ? 1 : 2;
            long endPos = begin + Math.max(bytes, 0);
            st.lastEnd = endPos;
            if (position == Ops.CURRENT) {
                st.nextPos = endPos;
            }
            if (op == Ops.READ && !ABLATE_DISTINCT) {
                DistinctBlocks.mark(cells, begin, endPos); // the read key's cells: no further object touched
            }
        }
        if (nanos < 0 && op <= Ops.WRITE) { // untimed, so no event either: only the state and a tally or the cells
            Tally t = op == Ops.READ ? st.readTally : st.writeTally;
            if (t != null && bytes == t.unit && !error && t.owner == Thread.currentThread()) {
                t.count(pattern);
                return;
            }
            if (t == null && st.tabled && st.tallies && st.ticks >= TALLY_AFTER && bytes > 0 && !error
                    && bytes == SiteCounter.unit(cells, st.stripe)) {
                t = new Tally(cells, st.stripe, bytes, Thread.currentThread());
                if (st.installTally(op, t)) {
                    t.count(pattern);
                    return;
                }
            }
            SiteCounter.add(cells, st.stripe, bytes, error, pattern);
            return;
        }
        SiteCounter.record(st.counter(op), cells, st.stripe, nanos, bytes, error, pattern);
        if (eventThresholdNanos >= 0 && nanos >= eventThresholdNanos) {
            SiteCounter c = owner(st.counter(op), cells);
            if (c != null) {
                event(c, op, nanos, bytes, error);
            }
        }
    }

    private static void count(SiteCounter c, int op, long nanos, long bytes, boolean error, int pattern) {
        c.record(nanos, bytes, error, pattern);
        event(c, op, nanos, bytes, error);
    }

    private static void event(SiteCounter c, int op, long nanos, long bytes, boolean error) {
        if (nanos >= 0 && eventThresholdNanos >= 0 && nanos >= eventThresholdNanos) {
            IoEventSink s = sink;
            if (s != null) {
                s.emit(c.kind, op, c.site, c.target, nanos, bytes, error);
            }
        }
    }

    private static boolean insideCompound() {
        Thread me = Thread.currentThread();
        synchronized (COMPOUND_LOCK) {
            Thread[] t = compoundThreads;
            for (int i = 0, n = compounds; i < n; i++) {
                if (t[i] == me) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Whether the current thread is one of the agent's own (exporters), whose I/O is not traced. */
    private static boolean onAgentThread() {
        ThreadGroup own = agentGroup;
        return own != null && Thread.currentThread().getThreadGroup() == own;
    }

    /**
     * The state of a file stream: the table's, else the calling thread's pending one, else a new one (its target
     * {@code path}, else the standard stream's name). {@code atOp}: called at the entry of an operation, whose
     * call-site tag, if the slot holds one for this stream, is a new state's first site (see
     * {@link StreamState#firstTag}).
     */
    private static StreamState fileStateOf(Object stream, String path, int fd, boolean atOp) {
        int key = Descriptors.key(stream, fd);
        StreamState st = TABLE.get(stream, key);
        if (st == null) {
            CallSiteTags.Slot slot = CallSiteTags.slot();
            st = pending(slot, stream);
            if (st == null) {
                st = newState(slot, stream, Ops.KIND_FILE, path == null ? fdTarget(stream) : path, key, fd, atOp);
            }
        }
        return st;
    }

    /**
     * The calling thread's pending state of {@code stream} ({@code slot} is the thread's), else {@code null}; one
     * that has served {@value #PROMOTE_AFTER} operations moves to the table on the way.
     */
    private static StreamState pending(CallSiteTags.Slot slot, Object stream) {
        StreamState p = slot.pendingOf(stream);
        if (p != null && p.ticks >= PROMOTE_AFTER) { // a long-lived stream: from now on found in the table
            slot.pending = null;
            TABLE.putIfAbsent(stream, p);
        }
        return p;
    }

    /**
     * Operations a pending state serves before it moves to the table: each operation on a pending stream looks in the
     * table and then in the thread's slot, where a stream in the table takes one lookup (a read loop on one channel
     * paid 0.2% of its CPU samples for the slot, AgentCpuCostHarness profiled).
     */
    static final int PROMOTE_AFTER = 4;

    /**
     * Operations a stream in the table serves before its fixed-size reads or writes are counted in a {@link Tally}
     * (plain adds) instead of the cells (one atomic add each): a stream that short-lived would not gain, and
     * the table holds at most this many fewer tallies. Files only ({@link StreamStateHead#tallies}).
     */
    static final int TALLY_AFTER = 16;

    /**
     * A new state for {@code stream}, kept as the calling thread's pending state rather than put in the table: the
     * thread's previous pending state goes into the table when the thread starts another stream (its stream outlived
     * that start) or after its first {@value #PROMOTE_AFTER} operations, and a close on this thread while it is
     * pending forgets it. A stream opened, used and closed by one thread before it opens
     * another (a file per request) thus never enters the table: no insert under the table's lock, no deletion at the
     * next one, no lookup at close (0.2% of a stream-per-request gateway's CPU samples, session 11's profile). A
     * stream used by a second thread while it is pending on the first gets a second state there, which resolves its
     * own site (by tag or walk); both count exactly, and the first to reach the table stays.
     *
     * @param fd the stream's descriptor number, -1 when {@code key} is its identity hash ({@link Descriptors#key})
     * @param atOp called at an operation's entry: the state takes the operation's tag ({@link StreamState#firstTag})
     */
    private static StreamState newState(CallSiteTags.Slot slot, Object stream, int kind, String target, int key,
                                        int fd, boolean atOp) {
        if (CallSiteTags.COUNT) {
            if (fd >= 0) {
                byDescriptor++;
            } else {
                byIdentity++;
            }
        }
        StreamState st = new StreamState(stream, kind, target, onAgentThread(), key, slot.nextSeed());
        if (atOp) {
            st.firstTag = CallSiteTags.tagOf(slot, stream);
        }
        StreamState previous = slot.pending;
        slot.pending = st;
        Object open = previous == null ? null : previous.get();
        if (open != null) {
            TABLE.putIfAbsent(open, previous); // a full table keeps it out: its stream's next op gets a new state
        }
        return st;
    }

    /** States in the stream table, live or queued for deletion (tests). */
    static int tableStates() {
        return TABLE.states();
    }

    private static volatile long byDescriptor;
    private static volatile long byIdentity;

    /**
     * States created since start, keyed by descriptor number and by identity hash (racy counts, kept with
     * {@code -Dhotpath.agent.debug} only: for tests and the debug line).
     */
    public static String stateKeys() {
        return "keyed by descriptor " + byDescriptor + ", by identity hash " + byIdentity;
    }

    /** The operation's tag left on the state by its tagged call ({@link StreamState#calledFrom}), cleared. */
    private static int takeCalledFrom(StreamState st) {
        int site = st.calledFrom;
        if (site != CallSiteTags.NO_TAG) {
            st.calledFrom = CallSiteTags.NO_TAG;
        }
        return site;
    }

    /**
     * Finds the call site: the call-site tag when the operation's call was tagged (the site it left on the state,
     * {@code calledFrom}, or the thread's slot naming this stream), else a stack walk. The next re-validation of this
     * stream comes after a random gap with mean {@code sample} after the stream's first resolution, doubled after every
     * later one up to {@value #MAX_GAP_SHIFT} doublings (64 x {@code sample}), whatever it found.
     *
     * @param calledFrom the operation's tag from its state ({@link #takeCalledFrom}), else {@code NO_TAG}
     */
    private static long[] resolve(StreamState st, int op, int calledFrom) {
        long[] curCells = st.cells(op);
        SiteCounter cur = curCells == null ? null : st.counter(op);
        if (cur == null) {
            st.gapShift = 0;
        } else if (st.gapShift < MAX_GAP_SHIFT) {
            st.gapShift++;
        }
        st.countdown = st.nextGap(sampleMean << st.gapShift);
        int tag = st.firstTag;
        if (tag == StreamState.UNKNOWN_TAG) {
            tag = calledFrom != CallSiteTags.NO_TAG ? calledFrom : CallSiteTags.tag(st.get());
        } else {
            st.firstTag = StreamState.UNKNOWN_TAG; // only the operation that created the state had it
        }
        CallSites.Site site = CallSiteTags.siteOf(tag);
        if (site != null) {
            CallSiteTags.seen(tag, st);
        }
        StackWalker.StackFrame f = site == null ? CallSites.firstUserFrame() : null;
        if (site != null && VERIFY_TAGS) {
            StackWalker.StackFrame w = CallSites.firstUserFrame();
            CallSiteTags.verify(site, w == null ? null : CallSites.site(w));
        }
        if (site == null && f == null) {
            return counterAt(JDK_FRAMES, op, st);
        }
        if (site == null) {
            site = CallSites.site(f);
        }
        // the same site as before: the state keeps its key (its counter checked against its cells, see owner)
        if (cur != null && cur != EXCLUDED && cur.cells == curCells && site.line == cur.siteLine
                && site.cls.equals(cur.siteClass) && site.method.equals(cur.siteMethod)) {
            return curCells;
        }
        return counterAt(site, op, st);
    }

    /**
     * The cells of the key of {@code site} for the stream's kind and target, or {@link #EXCLUDED}'s, cached in the
     * state with the key's counter: first from the registry's lock-free memory of folds
     * ({@link SiteRegistry#foldedInto}: past {@code maxSites}, a target it can prove unnamed; a fold is never of an
     * excluded site, those never reach the registry), then from its lock-free array of recent named keys
     * ({@link SiteRegistry#findInto}; nor is a named key), else from the registry under its lock. Folds first:
     * a target the fold proves unnamed has no named key to find, and a service writing a new temp file per request
     * past the cap would read the named keys' array, and the counters in the target's set there, for nothing at each
     * file; a named target's lookup pays the fold array's entry for its site, a line every new stream of that site
     * reads.
     */
    private static long[] counterAt(CallSites.Site site, int op, StreamState st) {
        SiteRegistry reg = registry;
        long targetHash = SiteRegistry.targetHash(st.target); // one pass over a new stream's new target string
        long[] cells = reg.foldedInto(st, op, site, targetHash);
        if (cells != null) {
            return cells;
        }
        cells = reg.findInto(st, op, site, targetHash);
        if (cells != null) {
            return cells;
        }
        SiteCounter c;
        if (excluded(site == JDK_FRAMES ? JDK_SITE : site.cls)) {
            c = EXCLUDED;
        } else {
            c = site == JDK_FRAMES ? reg.counter(JDK_SITE, "", "", -1, st.kind, op, st.target)
                    : reg.counter(site.site, site.cls, site.method, site.line, st.kind, op, st.target);
        }
        st.counter(op, c, c.cells);
        return c.cells;
    }

    /**
     * Whether {@code include}/{@code exclude} leave out the site of this class. Operations with no application frame
     * are the site {@code (jdk)}, matched by that name: with {@code include} given they are left out unless it lists
     * {@code (jdk)} (whoever scopes the agent to {@code com.acme.} does not want the JDK's own threads' I/O), and
     * {@code exclude=(jdk)} leaves them out.
     */
    private static boolean excluded(String cls) {
        String[] inc = include;
        if (inc.length > 0) {
            boolean in = false;
            for (String p : inc) {
                if (cls.startsWith(p)) {
                    in = true;
                    break;
                }
            }
            if (!in) {
                return true;
            }
        }
        for (String p : exclude) {
            if (cls.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The target of a file stream built from a {@link FileDescriptor} (no path): the standard streams by name, since
     * console logging is a common hot write path, else {@code (fd)}. Once per stream; only the JDK's own classes are
     * asked (an application subclass could override {@code getFD}).
     */
    static String fdTarget(Object stream) {
        FileDescriptor fd = null;
        try {
            if (stream != null && stream.getClass().getClassLoader() == null) {
                if (stream instanceof FileOutputStream) {
                    fd = ((FileOutputStream) stream).getFD();
                } else if (stream instanceof FileInputStream) {
                    fd = ((FileInputStream) stream).getFD();
                }
            }
        } catch (IOException e) {
            return "(fd)"; // closed
        }
        return fd == FileDescriptor.out ? "(stdout)" : fd == FileDescriptor.err ? "(stderr)"
                : fd == FileDescriptor.in ? "(stdin)" : "(fd)";
    }

    /** The target of a connected socket: {@link #socketTarget(Object, int)}, or for an accepted one its peer's host. */
    static String socketTarget(Object address, int port, int localPort) {
        if (isListening(localPort)) {
            String host = address instanceof InetSocketAddress ? host((InetSocketAddress) address)
                    : address instanceof InetAddress ? ((InetAddress) address).getHostAddress() : null;
            if (host != null) {
                return host + " (client of :" + localPort + ")";
            }
        }
        return socketTarget(address, port);
    }

    private static String host(InetSocketAddress isa) {
        InetAddress a = isa.getAddress();
        return a == null ? isa.getHostString() : a.getHostAddress();
    }

    static String socketTarget(Object address, int port) {
        if (address instanceof InetSocketAddress) {
            InetSocketAddress isa = (InetSocketAddress) address;
            return hostPort(host(isa), isa.getPort());
        }
        if (address instanceof InetAddress) {
            return hostPort(((InetAddress) address).getHostAddress(), port);
        }
        return "(unconnected)";
    }

    private static String hostPort(String host, int port) {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    private static synchronized void testFailure() {
        if (++testOps == TEST_FAIL_AT) {
            throw new IllegalStateException("forced by hotpath.agent.testFailAt=" + TEST_FAIL_AT);
        }
    }

    private static void fail(Throwable e) {
        enabled = false;
        synchronized (Recorder.class) {
            if (failed) {
                return;
            }
            failed = true;
        }
        try {
            System.err.println("hotpath-agent: I/O recording disabled after an internal error: " + e);
        } catch (Throwable ignored) {
            // nothing more can be done without risking the host
        }
    }
}
