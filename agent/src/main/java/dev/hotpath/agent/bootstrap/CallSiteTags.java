package dev.hotpath.agent.bootstrap;

import java.util.Arrays;
import java.util.HashMap;

/**
 * Call sites known at transform time, so that a new stream's first operation needs no stack walk. The agent rewrites
 * application classes (not the JDK's, not hotpath's) at their calls of the JDK I/O primitives it records
 * ({@code FileChannel.read(ByteBuffer, long)}, {@code FileOutputStream.write(byte[], int, int)}, ...): right before
 * the call the site's id and the call's receiver go into the calling thread's slot ({@link #set}; skipped when a tag
 * of the site already gave that receiver's site), right after a normal return the receiver is cleared
 * ({@link #done}). When the recorder resolves an operation's site it takes the
 * slot's site instead of walking, but only if the slot's receiver is the very object whose operation it records and
 * that object's class is the JDK's: then the tagged call entered the instrumented JDK method directly, with no
 * application frame in between, so the tag is exactly what the walk would find (the first frame outside the JDK and
 * hotpath, at the tagged line). Any other case walks, as before: callers the agent did not rewrite, JDK helpers that
 * open files themselves ({@code Files.readAllBytes}), wrappers ({@code BufferedInputStream}), subclasses.
 *
 * <p>A call that throws skips {@link #done}; the tagged methods are the instrumented ones themselves (or final JDK
 * methods that call one first), so the exception passes through the recorder's exit, which clears a slot naming the
 * failed operation's stream ({@link #clearIf}). Bounded: at most {@code capacity} distinct sites are registered
 * (a call site past that is left untagged and walks). Never throws into the application: {@link #set} and
 * {@link #done} are inlined into application code.
 */
public final class CallSiteTags {
    /** One per thread (also per virtual thread): the tagged call in progress on it, if any. */
    public static final class Slot {
        /** The thread this slot belongs to, which {@link #slot()}'s direct-mapped array checks by identity. */
        final Thread owner;
        Object receiver;
        int site;
        /** The thread's newest stream state, not yet in the stream table (see {@code Recorder.newState}). */
        StreamState pending;

        /** {@link #pending} if it is the state of {@code stream}, else {@code null}. */
        StreamState pendingOf(Object stream) {
            StreamState p = pending;
            return p != null && p.get() == stream ? p : null;
        }
        /** The thread's generator of new states' sampling seeds (xorshift). */
        private int seed = (int) System.nanoTime() | 1;

        Slot(Thread owner) {
            this.owner = owner;
        }

        /** A seed for a new stream state's sampling: per thread, so no clock read or shared counter per stream. */
        int nextSeed() {
            int x = seed;
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            seed = x;
            return x;
        }
    }

    /** {@link StreamState#firstTag} of an operation that was not tagged: its site is found by a walk. */
    static final int NO_TAG = -2;

    private static final ThreadLocal<Slot> SLOTS = new Slots();
    /**
     * The slots of recent threads, direct-mapped by thread id, in front of {@link #SLOTS} (see {@link #slot()}).
     * A slot holds its thread, so at most this many ended threads' Thread objects stay reachable from here until
     * another thread takes their entry.
     */
    private static final Slot[] RECENT_SLOTS = new Slot[512];
    private static final Object LOCK = new Object();
    private static final HashMap<String, Integer> IDS = new HashMap<>();
    /**
     * Per site id {@code i}: at {@code 2i} its {@link CallSites.Site}, at {@code 2i + 1} the state of the last stream
     * whose site a tag of that site gave ({@link #seen}; {@code null}: none yet). A state is a weak reference to its
     * stream, so a stream the application leaked, unclosed, is still collected and its descriptor closed by its
     * cleaner. Side by side, so that a new stream's resolution ({@link #siteOf}, then {@link #seen}) reads one line:
     * in two arrays it was two lines and, past a system call that left the TLB empty, two page walks.
     */
    private static volatile Object[] entries = new Object[2 * 64];
    private static volatile int capacity = 4 * 4096;
    private static int size;
    /**
     * Resolutions are counted only for the debug line and the tag verification: a shared volatile counter written on
     * every new stream's first operation costs a fence and moves its cache line between the cores of every thread.
     */
    static final boolean COUNT = Boolean.getBoolean("hotpath.agent.debug")
            || Boolean.getBoolean("hotpath.agent.verifyTags");
    private static volatile long tagged;
    private static volatile long walked;

    private CallSiteTags() {
    }

    /** Called by the agent before any class is rewritten. */
    public static void capacity(int maxSites) {
        capacity = Math.max(64, maxSites);
    }

    /**
     * The id of a call site, registered at transform time; -1 when the table is full (the call is then not tagged).
     * {@code file} is the class's SourceFile ({@code null} when it has none), {@code line} -1 without line numbers.
     */
    public static int register(String cls, String method, String file, int line) {
        String text = format(cls, method, file, line);
        synchronized (LOCK) {
            Integer id = IDS.get(text);
            if (id != null) {
                return id;
            }
            if (size >= capacity) {
                return -1;
            }
            Object[] arr = entries;
            if (2 * size == arr.length) {
                arr = Arrays.copyOf(arr, 2 * Math.min(size * 2, capacity)); // the states seen so far carried over
            }
            arr[2 * size] = new CallSites.Site(text, cls, method, line);
            entries = arr; // publishes the filled entry with the (possibly new) array, before the id is handed out
            IDS.put(text, size);
            return size++;
        }
    }

    /** The registered site of this text, or {@code null}: a walk that finds a tagged frame shares its site string. */
    static CallSites.Site registered(String text) {
        synchronized (LOCK) {
            Integer id = IDS.get(text);
            return id == null ? null : (CallSites.Site) entries[2 * id];
        }
    }

    /** Registered sites (for tests and the debug line). */
    public static int size() {
        synchronized (LOCK) {
            return size;
        }
    }

    /**
     * Sites resolved from a tag / by a stack walk since start (racy counts, kept with {@code -Dhotpath.agent.debug}
     * or {@code verifyTags} only: for tests and the debug line).
     */
    public static long taggedResolutions() {
        return tagged;
    }

    public static long walkedResolutions() {
        return walked;
    }

    private static volatile long verified;
    private static volatile long mismatches;
    private static volatile String firstMismatch;

    /** {@code -Dhotpath.agent.verifyTags=true}: a tagged site against the walk's site for the same operation. */
    static synchronized void verify(CallSites.Site tag, CallSites.Site walk) {
        verified++;
        if (walk == null || !tag.site.equals(walk.site) || tag.line != walk.line || !tag.cls.equals(walk.cls)
                || !tag.method.equals(walk.method)) {
            if (mismatches++ == 0) {
                firstMismatch = tag.site + " tagged, " + (walk == null ? "(jdk)" : walk.site) + " walked";
            }
        }
    }

    /** The verification's counts and first mismatch, for the debug line. */
    public static String verification() {
        return "verified " + verified + ", mismatches " + mismatches + (firstMismatch == null ? "" : " (" + firstMismatch + ")");
    }

    /**
     * Before a tagged call: the calling thread's slot now names {@code receiver} and the site; {@code null} (no tag)
     * when a tag of this site already gave {@code receiver}'s site ({@link #seen}). A site called on one stream over
     * and over (a read loop) thus pays three reads, a compare and a write to the stream's state per call instead of
     * the thread-local slot; its sampled re-validations take the site from the state ({@link StreamState#calledFrom}).
     * Allocates nothing: until session 12 the site's last receiver was held by a weak reference of its own,
     * allocated for every new receiver of the site (0.17% of a stream-per-request gateway's CPU samples,
     * GatewaySaturationHarness {@code -Dprofile=true}), and before that by identity hash, a call into the VM for every
     * new stream.
     */
    public static Slot set(Object receiver, int site) {
        try {
            StreamState last = (StreamState) entries[2 * site + 1];
            if (last != null && last.get() == receiver) {
                last.calledFrom = site;
                return null;
            }
            Slot s = slot();
            s.site = site;
            s.receiver = receiver;
            return s;
        } catch (Throwable e) {
            return null;
        }
    }

    /**
     * A tag of site {@code id} gave the site of {@code state}'s stream: that site's next calls on the stream need no
     * tag. Called by the recorder's resolution, so a stream that met the site before its state existed (or whose
     * state was resolved by a walk) is remembered at its next tagged resolution.
     */
    static void seen(int id, StreamState state) {
        Object[] e = entries;
        if (id >= 0 && 2 * id < e.length) {
            e[2 * id + 1] = state;
            state.seenTag = id;
        }
    }

    /**
     * The stream of {@code state} was closed before it reached the table (a stream per request): the entry
     * {@link #seen} made for it is cleared, if it is still its, so that the site's next tagged call, on another
     * stream, finds none and does not read this dead state's line to compare its referent.
     */
    static void forget(StreamState state) {
        int id = state.seenTag;
        Object[] e = entries;
        if (id >= 0 && 2 * id < e.length && e[2 * id + 1] == state) {
            e[2 * id + 1] = null;
        }
    }

    /**
     * The calling thread's slot: from {@link #RECENT_SLOTS} when the entry of its id holds it, else from the
     * thread-local, which then takes that entry. A thread-local lookup reads the thread's map, its table and the
     * entry before the slot, each a cache miss when a request's own work has swept the caches since the last lookup
     * (three lookups per request of a stream-per-request service: the tagged call, its first operation, the close);
     * the array costs one line before the slot. The entry is checked by the slot's thread, not by the id, which an
     * application's Thread subclass may override (with anything: one that throws gets the thread-local): a thread
     * only ever gets its own slot.
     */
    static Slot slot() {
        Thread t = Thread.currentThread();
        int i;
        try {
            i = (int) t.getId() & (RECENT_SLOTS.length - 1);
        } catch (Throwable e) {
            return SLOTS.get();
        }
        Slot s = RECENT_SLOTS[i];
        if (s != null && s.owner == t) {
            return s;
        }
        s = SLOTS.get();
        RECENT_SLOTS[i] = s;
        return s;
    }

    /** After a tagged call returned normally. */
    public static void done(Slot s) {
        if (s != null) {
            s.receiver = null;
        }
    }

    /**
     * The tagged site of an operation on {@code stream} now running on this thread, or {@code null} when it must be
     * found by a walk (no tag, a tag for another object, or a stream of an application subclass, whose overriding
     * method may sit between the tagged call and the JDK's).
     */
    static CallSites.Site site(Object stream) {
        return siteOf(tag(stream));
    }

    /**
     * The tag of the operation on {@code stream} now running on this thread ({@link #tagOf} with the thread's slot);
     * {@link #NO_TAG} for a state of no stream, without the slot lookup.
     */
    static int tag(Object stream) {
        return stream == null ? NO_TAG : tagOf(slot(), stream);
    }

    /**
     * The last two stream classes found to be the JDK's (boot loader): {@code Class.getClassLoader} is a call with a
     * security-manager check on JDK 17, made for every new stream's first operation, and a service's streams are of
     * a few classes (two: a gateway's file channels and socket channels, which took turns in one entry). The newest
     * is first. Racy by design: any value either holds is a JDK class.
     */
    private static Class<?> lastJdkClass;
    private static Class<?> lastJdkClass2;

    private static boolean jdkClass(Class<?> c) {
        if (c == lastJdkClass || c == lastJdkClass2) {
            return true;
        }
        if (c.getClassLoader() != null) {
            return false;
        }
        lastJdkClass2 = lastJdkClass;
        lastJdkClass = c;
        return true;
    }

    /**
     * The tag of the operation on {@code stream} now entering the JDK on this thread ({@code slot} is the thread's):
     * the site id when the slot names this very object and its class is the JDK's (as {@link #site} decides), else
     * {@link #NO_TAG}. Taken at the operation's entry; the slot cannot change before its exit, as no application code
     * runs inside the JDK method.
     */
    static int tagOf(Slot slot, Object stream) {
        return stream != null && slot.receiver == stream && jdkClass(stream.getClass()) ? slot.site : NO_TAG;
    }

    /** The site of a tag taken by {@link #tagOf}, or {@code null} (walk) for {@link #NO_TAG} or an unknown id. */
    static CallSites.Site siteOf(int id) {
        Object[] arr = entries;
        CallSites.Site site = id >= 0 && 2 * id < arr.length ? (CallSites.Site) arr[2 * id] : null;
        if (COUNT) {
            if (site == null) {
                walked++;
            } else {
                tagged++;
            }
        }
        return site;
    }

    /** A recorded operation on {@code stream} failed: its tagged call will not reach {@link #done}. */
    static void clearIf(Object stream) {
        if (stream == null) {
            return;
        }
        Slot s = slot();
        if (s.receiver == stream) {
            s.receiver = null;
        }
    }

    /** The same text as {@link CallSites#format} gives for a walked frame of this class, method, file and line. */
    static String format(String cls, String method, String file, int line) {
        StringBuilder sb = new StringBuilder(cls.length() + 40);
        sb.append(cls).append('.').append(method).append('(');
        sb.append(file == null ? "Unknown Source" : file);
        if (file != null && line >= 0) {
            sb.append(':').append(line);
        }
        return sb.append(')').toString();
    }

    /** A class rather than ThreadLocal.withInitial: no lambdas in the recorder. */
    private static final class Slots extends ThreadLocal<Slot> {
        @Override
        protected Slot initialValue() {
            return new Slot(Thread.currentThread());
        }
    }
}
