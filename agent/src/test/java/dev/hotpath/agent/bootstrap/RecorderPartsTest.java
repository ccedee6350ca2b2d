package dev.hotpath.agent.bootstrap;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The recorder's building blocks, in-process (the end-to-end behaviour is covered by the *IT tests). */
class RecorderPartsTest {
    @Test
    void bucketsAreExactBelow8AndQuarterPowersOfTwoAbove() {
        for (long v = 0; v < 8; v++) {
            assertThat(LatencyBuckets.index(v)).isEqualTo((int) v);
        }
        assertThat(LatencyBuckets.index(8)).isEqualTo(8);
        assertThat(LatencyBuckets.index(1023)).isEqualTo(LatencyBuckets.index(896));
        assertThat(LatencyBuckets.lowerBound(LatencyBuckets.index(1024))).isEqualTo(1024);
        assertThat(LatencyBuckets.upperBound(LatencyBuckets.index(1024))).isEqualTo(1280);
        assertThat(LatencyBuckets.index(Long.MAX_VALUE)).isEqualTo(LatencyBuckets.COUNT - 1);
        for (long v = 8; v < 1 << 20; v = v * 3 / 2 + 1) {
            int i = LatencyBuckets.index(v);
            assertThat(v).isBetween(LatencyBuckets.lowerBound(i), LatencyBuckets.upperBound(i) - 1);
        }
    }

    @Test
    void counterSumsStripesFromManyThreadsExactly() throws Exception {
        SiteCounter c = new SiteCounter("s", "C", "m", 1, Ops.KIND_FILE, Ops.WRITE, "/t");
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    c.record(1000 + i, 128, i % 100 == 0, i % 2 == 0 ? 1 : 2);
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread t : ts) {
            t.join();
        }
        assertThat(c.count()).isEqualTo(160_000);
        assertThat(c.bytes()).isEqualTo(160_000L * 128);
        assertThat(c.errors()).isEqualTo(1_600);
        assertThat(c.sequentialOps()).isEqualTo(80_000);
        assertThat(c.randomOps()).isEqualTo(80_000);
        assertThat(c.pattern()).isEqualTo("mixed");
        assertThat(c.maxNanos()).isEqualTo(10_999);
        long h = 0;
        for (long b : c.histogram()) {
            h += b;
        }
        assertThat(h).isEqualTo(160_000);
    }

    @Test
    void streamTableStaysBoundedWhateverTheNumberOfStreams() {
        StreamTable table = new StreamTable(16, 1 << 12);
        int stored = 0;
        for (int i = 0; i < 200_000; i++) {
            Object stream = new Object();
            StreamState st = new StreamState(stream, Ops.KIND_FILE, "/f" + i, false);
            if (table.putIfAbsent(stream, st) == st) {
                stored++;
            }
            if (i % 2_000 == 0) { // weak references clear at a GC; streams die between GCs
                System.gc();
            }
        }
        assertThat(table.capacity()).isLessThanOrEqualTo(1 << 12);
        assertThat(stored).isGreaterThan(190_000); // collected streams free their slots
        Object live = new Object();
        StreamState st = new StreamState(live, Ops.KIND_FILE, "/live", false);
        assertThat(table.putIfAbsent(live, st)).isSameAs(st);
        assertThat(table.get(live)).isSameAs(st);
        assertThat(table.putIfAbsent(live, new StreamState(live, Ops.KIND_FILE, "/other", false))).isSameAs(st);
    }

    @Test
    void statesKeyedByDescriptorNumberShareAKeyWithoutMixingUp() {
        StreamTable table = new StreamTable(16, 1 << 12);
        // a stream and its getChannel() share a descriptor; the number is reused after a close
        Object stream = new Object();
        Object channel = new Object();
        StreamState ofStream = new StreamState(stream, Ops.KIND_FILE, "/a", false, 7, 7);
        StreamState ofChannel = new StreamState(channel, Ops.KIND_FILE, "/a", false, 7, 7);
        assertThat(table.putIfAbsent(stream, ofStream)).isSameAs(ofStream);
        assertThat(table.putIfAbsent(channel, ofChannel)).isSameAs(ofChannel);
        assertThat(table.get(stream, 7)).isSameAs(ofStream);
        assertThat(table.get(channel, 7)).isSameAs(ofChannel);
        assertThat(table.get(new Object(), 7)).isNull();
        assertThat(table.get(stream, 8)).isNull(); // looked for under another number: not found, no wrong state

        table.closedLater(ofStream);
        table.closedLater(ofChannel);
        Object reopened = new Object();
        StreamState ofReopened = new StreamState(reopened, Ops.KIND_FILE, "/b", false, 7, 7);
        assertThat(table.putIfAbsent(reopened, ofReopened)).isSameAs(ofReopened);
        assertThat(table.states()).isEqualTo(1);
        assertThat(table.get(reopened, 7)).isSameAs(ofReopened);
        assertThat(table.get(stream, 7)).isNull();

        // a full probe run of one number: every object still finds its own state, also after a growth
        Object[] many = new Object[100];
        for (int i = 0; i < many.length; i++) {
            many[i] = new Object();
            table.putIfAbsent(many[i], new StreamState(many[i], Ops.KIND_FILE, "/m" + i, false, 7, i));
        }
        assertThat(table.capacity()).isEqualTo(256); // grown from 16 as the states came
        for (int i = 0; i < many.length; i++) {
            assertThat(table.get(many[i], 7).target).isEqualTo("/m" + i);
        }
        assertThat(table.get(reopened, 7)).isSameAs(ofReopened);
    }

    @Test
    void collectedStreamsStatesAreDroppedAtTheNextInsert() throws Exception {
        StreamTable table = new StreamTable(1 << 12, 1 << 12);
        Object[] live = new Object[100];
        for (int i = 0; i < 1_000; i++) {
            Object stream = new Object();
            if (i < live.length) {
                live[i] = stream;
            }
            table.putIfAbsent(stream, new StreamState(stream, Ops.KIND_FILE, "/f" + i, false));
        }
        assertThat(table.states()).isEqualTo(1_000);
        Object last = new Object();
        StreamState lastState = new StreamState(last, Ops.KIND_FILE, "/last", false);
        for (int attempt = 0; attempt < 50 && table.states() != 101; attempt++) {
            System.gc();
            Thread.sleep(20); // the reference handler thread queues the cleared states
            table.putIfAbsent(last, lastState);
        }
        // the 900 collected streams' states are gone; the live ones are still found
        assertThat(table.states()).isEqualTo(101);
        for (int i = 0; i < live.length; i++) {
            assertThat(table.get(live[i]).target).isEqualTo("/f" + i);
        }
        assertThat(table.get(last)).isSameAs(lastState);
    }

    @Test
    void droppingCollectedStatesKeepsEveryLiveOneReachableAcrossWrappedProbeRuns() throws Exception {
        // a small table and many rounds: deletions shift probe runs back, also across the array's end
        StreamTable table = new StreamTable(32, 256);
        java.util.Random rnd = new java.util.Random(42);
        Object[] live = new Object[20];
        String[] target = new String[live.length];
        int inserted = 0;
        for (int round = 0; round < 100; round++) {
            for (int k = 0; k < live.length; k++) {
                if (live[k] == null || rnd.nextInt(3) == 0) {
                    live[k] = new Object(); // the previous one becomes garbage
                    target[k] = "/r" + round + "k" + k;
                    StreamState st = new StreamState(live[k], Ops.KIND_FILE, target[k], false);
                    assertThat(table.putIfAbsent(live[k], st)).isSameAs(st);
                    inserted++;
                }
            }
            System.gc();
            Thread.sleep(2);
            for (int k = 0; k < live.length; k++) {
                assertThat(table.get(live[k]).target).isEqualTo(target[k]);
            }
        }
        Object probe = new Object();
        for (int attempt = 0; attempt < 50 && table.states() != live.length + 1; attempt++) {
            System.gc();
            Thread.sleep(20);
            table.putIfAbsent(probe, new StreamState(probe, Ops.KIND_FILE, "/probe", false));
        }
        assertThat(inserted).isGreaterThan(500); // far more streams than the table's slots
        assertThat(table.capacity()).isLessThanOrEqualTo(256);
        assertThat(table.states()).isEqualTo(live.length + 1);
        for (int k = 0; k < live.length; k++) {
            assertThat(table.get(live[k]).target).isEqualTo(target[k]);
        }
    }

    @Test
    void closingDeletesAStateAtOnceAndKeepsTheOthersReachable() {
        // no GC involved: every stream stays reachable, only close removes states
        StreamTable table = new StreamTable(16, 1 << 12);
        Object[] streams = new Object[3_000];
        for (int i = 0; i < streams.length; i++) {
            streams[i] = new Object();
            table.putIfAbsent(streams[i], new StreamState(streams[i], Ops.KIND_FILE, "/f" + i, false));
            if (i % 3 != 0) {
                table.closed(streams[i]);
            }
        }
        for (int i = 0; i < streams.length; i++) {
            if (i % 3 == 0) {
                assertThat(table.get(streams[i]).target).isEqualTo("/f" + i);
            } else {
                assertThat(table.get(streams[i])).isNull();
            }
        }
        assertThat(table.states()).isEqualTo(1_000);
        table.closed(new Object()); // never seen: nothing to delete
        table.closed(streams[1]); // closed twice
        assertThat(table.states()).isEqualTo(1_000);
        for (int i = 0; i < streams.length; i += 3) {
            table.closed(streams[i]);
        }
        assertThat(table.states()).isZero();
    }

    /**
     * The recorder's close path: eight threads close the same 2,000 of 4,000 streams at once (each state closed up to
     * eight times, as when threads race to close one stream). Closing takes no lock and deletes nothing by itself:
     * every state keeps its slot until the next insert, which deletes each closed state once and no other.
     */
    @Test
    void closingFromManyThreadsAtOnceDeletesEachClosedStateOnceAtTheNextInsert() throws Exception {
        StreamTable table = new StreamTable(16, 1 << 14);
        Object[] streams = new Object[4_000];
        for (int i = 0; i < streams.length; i++) {
            streams[i] = new Object();
            table.putIfAbsent(streams[i], new StreamState(streams[i], Ops.KIND_FILE, "/f" + i, false));
        }
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        Thread[] closers = new Thread[8];
        for (int t = 0; t < closers.length; t++) {
            int first = t;
            closers[t] = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int n = 0; n < streams.length; n += 2) {
                    int i = (n + 2 * first * 250) % streams.length; // each thread starts elsewhere, all meet
                    StreamState st = table.get(streams[i]);
                    if (st != null) {
                        table.closedLater(st);
                    }
                }
            });
            closers[t].start();
        }
        go.countDown();
        for (Thread t : closers) {
            t.join();
        }
        assertThat(table.states()).isEqualTo(4_000); // closed states wait for the next insert, and are still found
        for (int i = 0; i < streams.length; i++) {
            assertThat(table.get(streams[i]).target).isEqualTo("/f" + i);
        }
        Object next = new Object();
        table.putIfAbsent(next, new StreamState(next, Ops.KIND_FILE, "/next", false));
        assertThat(table.states()).isEqualTo(2_001);
        for (int i = 0; i < streams.length; i++) {
            if (i % 2 == 0) {
                assertThat(table.get(streams[i])).isNull();
            } else {
                assertThat(table.get(streams[i]).target).isEqualTo("/f" + i);
            }
        }
        assertThat(table.get(next).target).isEqualTo("/next");
        table.closedLater(table.get(streams[1]));
        table.closedLater(table.get(next));
        Object last = new Object();
        table.putIfAbsent(last, new StreamState(last, Ops.KIND_FILE, "/last", false));
        assertThat(table.states()).isEqualTo(2_000);
    }

    @Test
    void registryFindsRecentNamedKeysWithoutTheLockButNeverFoldedOnes() {
        SiteRegistry r = new SiteRegistry(1);
        assertThat(r.find("a", Ops.KIND_FILE, Ops.READ, "/x")).isNull();
        SiteCounter a = r.counter("a", "A", "m", 1, Ops.KIND_FILE, Ops.READ, "/x");
        assertThat(r.find("a", Ops.KIND_FILE, Ops.READ, new String("/x"))).isSameAs(a); // equal, not the same string
        assertThat(r.find("a", Ops.KIND_FILE, Ops.WRITE, "/x")).isNull();
        assertThat(r.find("a", Ops.KIND_SOCKET, Ops.READ, "/x")).isNull();
        SiteCounter folded = r.counter("a", "A", "m", 1, Ops.KIND_FILE, Ops.READ, "/y"); // past maxSites=1
        assertThat(folded.target).isEqualTo("(other)");
        assertThat(r.find("a", Ops.KIND_FILE, Ops.READ, "/y")).isNull(); // folded keys always ask the registry
        assertThat(r.counter("a", "A", "m", 1, Ops.KIND_FILE, Ops.READ, "/y")).isSameAs(folded);
        assertThat(r.find("a", Ops.KIND_FILE, Ops.READ, "/x")).isSameAs(a);
    }

    /**
     * Past {@code maxSites} a new target's pair is folded by its site alone, and the registry answers that without
     * its lock once it can prove the target unnamed: the same keys the locked path gives, never for a named target,
     * and nothing before the cap closes naming.
     */
    @Test
    void registryFoldsUnnamedTargetsWithoutTheLockPastTheCap() {
        SiteRegistry r = new SiteRegistry(2);
        String s = "S.m(S.java:1)";
        String t = "T.m(T.java:2)";
        SiteCounter x = r.counter(s, "S", "m", 1, Ops.KIND_FILE, Ops.WRITE, "/x");
        assertThat(r.folded(s, Ops.KIND_FILE, Ops.WRITE, "/tmp/1")).isNull(); // one pair named of two: still open
        SiteCounter y = r.counter(s, "S", "m", 1, Ops.KIND_FILE, Ops.WRITE, "/y");
        assertThat(r.folded(s, Ops.KIND_FILE, Ops.WRITE, "/tmp/1")).isNull(); // closed, but no fold seen yet
        SiteCounter sFold = r.counter(s, "S", "m", 1, Ops.KIND_FILE, Ops.WRITE, "/tmp/1");
        assertThat(sFold.site).isEqualTo(s);
        assertThat(sFold.target).isEqualTo("(other)");
        assertThat(r.folded(s, Ops.KIND_FILE, Ops.WRITE, "/tmp/2")).isSameAs(sFold);
        assertThat(r.folded(s, Ops.KIND_FILE, Ops.WRITE, new String("/tmp/3"))).isSameAs(sFold);
        assertThat(r.counter(s, "S", "m", 1, Ops.KIND_FILE, Ops.WRITE, "/tmp/4")).isSameAs(sFold);
        // named targets always take the locked path, which gives their own keys
        assertThat(r.folded(s, Ops.KIND_FILE, Ops.WRITE, "/x")).isNull();
        assertThat(r.folded(s, Ops.KIND_FILE, Ops.WRITE, new String("/y"))).isNull();
        assertThat(r.counter(s, "S", "m", 1, Ops.KIND_FILE, Ops.WRITE, new String("/y"))).isSameAs(y);
        assertThat(r.counter(s, "S", "m", 1, Ops.KIND_FILE, Ops.WRITE, "/x")).isSameAs(x);
        // another op, kind or site is remembered apart; a site not named at the first fold gets the shared (other)
        assertThat(r.folded(s, Ops.KIND_FILE, Ops.READ, "/tmp/5")).isNull();
        assertThat(r.folded(s, Ops.KIND_SOCKET, Ops.WRITE, "/tmp/5")).isNull();
        assertThat(r.folded(t, Ops.KIND_FILE, Ops.WRITE, "/tmp/5")).isNull();
        SiteCounter tFold = r.counter(t, "T", "m", 2, Ops.KIND_FILE, Ops.WRITE, "/tmp/5");
        assertThat(tFold.site).isEqualTo("(other)");
        assertThat(r.folded(t, Ops.KIND_FILE, Ops.WRITE, "/tmp/6")).isSameAs(tFold);
        assertThat(r.folded(s, Ops.KIND_FILE, Ops.WRITE, "/tmp/6")).isSameAs(sFold);
        // the site is matched by its string's identity: an equal string of another resolution asks the lock
        assertThat(r.folded(new String(s), Ops.KIND_FILE, Ops.WRITE, "/tmp/7")).isNull();
        sFold.record(5, 100, false, 0);
        tFold.record(5, 50, false, 0);
        assertThat(r.dropped()).isEqualTo(2);
        assertThat(r.all()).containsExactly(x, y, sFold, tFold);
    }

    /**
     * Three targets whose keys share the lookup array's set (found at run time: the target hash is salted per
     * process): the lock-free lookup must tell them apart by the 64-bit target hash and return each its own key; a set
     * holds two, the last looked up under the lock first. Targets whose String.hashCode collide ("/d/Aa", "/d/BB")
     * are as distinct as any.
     */
    @Test
    void registryLookupTellsApartTargetsThatShareALookupSet() {
        java.util.Map<Integer, java.util.List<String>> bySet = new java.util.HashMap<>();
        java.util.List<String> same = null;
        for (int i = 0; same == null; i++) {
            String t = "/d/" + i;
            java.util.List<String> in = bySet.computeIfAbsent(SiteRegistry.recentSlot(
                    SiteRegistry.keyHash("s", Ops.KIND_FILE, Ops.READ, SiteRegistry.targetHash(t))),
                    k -> new java.util.ArrayList<>());
            in.add(t);
            same = in.size() == 3 ? in : null;
        }
        String first = same.get(0);
        String second = same.get(1);
        String third = same.get(2);
        SiteRegistry r = new SiteRegistry(16);
        SiteCounter a = r.counter("s", "S", "m", 1, Ops.KIND_FILE, Ops.READ, first);
        assertThat(r.find("s", Ops.KIND_FILE, Ops.READ, new String(first))).isSameAs(a);
        assertThat(r.find("s", Ops.KIND_FILE, Ops.READ, second)).isNull(); // same set, other target
        SiteCounter b = r.counter("s", "S", "m", 1, Ops.KIND_FILE, Ops.READ, second);
        assertThat(b).isNotSameAs(a);
        assertThat(r.find("s", Ops.KIND_FILE, Ops.READ, second)).isSameAs(b);
        assertThat(r.find("s", Ops.KIND_FILE, Ops.READ, first)).as("the set's second key").isSameAs(a);
        SiteCounter c = r.counter("s", "S", "m", 1, Ops.KIND_FILE, Ops.READ, third);
        assertThat(r.find("s", Ops.KIND_FILE, Ops.READ, third)).isSameAs(c);
        assertThat(r.find("s", Ops.KIND_FILE, Ops.READ, second)).isSameAs(b);
        assertThat(r.find("s", Ops.KIND_FILE, Ops.READ, first)).isNull(); // the set holds c and b: ask the registry
        assertThat(r.counter("s", "S", "m", 1, Ops.KIND_FILE, Ops.READ, first)).isSameAs(a);
        assertThat(r.find("s", Ops.KIND_FILE, Ops.READ, first)).isSameAs(a);
        assertThat(r.find("s", Ops.KIND_FILE, Ops.READ, third)).isSameAs(c);
        assertThat(r.find("s", Ops.KIND_FILE, Ops.READ, second)).as("out: a came back first, c went second").isNull();

        assertThat("/d/Aa".hashCode()).isEqualTo("/d/BB".hashCode());
        SiteCounter aa = r.counter("s", "S", "m", 1, Ops.KIND_FILE, Ops.READ, "/d/Aa");
        SiteCounter bb = r.counter("s", "S", "m", 1, Ops.KIND_FILE, Ops.READ, "/d/BB");
        assertThat(bb).isNotSameAs(aa);
        assertThat(r.find("s", Ops.KIND_FILE, Ops.READ, "/d/BB")).isSameAs(bb);
        assertThat(r.counter("s", "S", "m", 1, Ops.KIND_FILE, Ops.READ, new String("/d/Aa"))).isSameAs(aa);
        assertThat(SiteRegistry.targetHash("/d/Aa")).isNotEqualTo(SiteRegistry.targetHash("/d/BB"));
    }

    @Test
    void registryCapsPairsAndFoldsTheRestIntoOther() {
        SiteRegistry r = new SiteRegistry(2);
        SiteCounter a = r.counter("a", "A", "m", 1, Ops.KIND_FILE, Ops.READ, "/x");
        assertThat(r.counter("a", "A", "m", 1, Ops.KIND_FILE, Ops.READ, "/x")).isSameAs(a);
        r.counter("b", "B", "m", 1, Ops.KIND_FILE, Ops.READ, "/x");
        SiteCounter other = r.counter("c", "C", "m", 1, Ops.KIND_FILE, Ops.READ, "/y");
        assertThat(other.site).isEqualTo("(other)");
        assertThat(other.target).isEqualTo("(other)");
        assertThat(r.counter("d", "D", "m", 1, Ops.KIND_FILE, Ops.READ, "/z")).isSameAs(other);
        other.record(10, 5, false, 0);
        other.record(10, 5, false, 0);
        assertThat(r.dropped()).isEqualTo(2);
        assertThat(r.all()).hasSize(3);
        // a named pair keeps every op named past the cap, so its write and force keys are never split
        SiteCounter aWrite = r.counter("a", "A", "m", 1, Ops.KIND_FILE, Ops.WRITE, "/x");
        assertThat(aWrite.site).isEqualTo("a");
        assertThat(aWrite.target).isEqualTo("/x");
        // and a named target stays named from a new site (a force on another line than the write)
        SiteCounter eForce = r.counter("e", "E", "m", 2, Ops.KIND_FILE, Ops.FORCE, "/x");
        assertThat(eForce.target).isEqualTo("/x");
        // a named site's new target folds all its ops into that site's (other) keys, counted as dropped
        SiteCounter aOther = r.counter("a", "A", "m", 1, Ops.KIND_FILE, Ops.READ, "/tmp/put-1");
        assertThat(aOther.site).isEqualTo("a");
        assertThat(aOther.target).isEqualTo("(other)");
        assertThat(r.counter("a", "A", "m", 1, Ops.KIND_FILE, Ops.READ, "/tmp/put-2")).isSameAs(aOther);
        SiteCounter aWriteOther = r.counter("a", "A", "m", 1, Ops.KIND_FILE, Ops.WRITE, "/tmp/put-2");
        assertThat(aWriteOther).isNotSameAs(aOther);
        assertThat(aWriteOther.target).isEqualTo("(other)");
        // a site named only after the first fold (e, through the named /x) folds its new targets into (other)
        assertThat(r.counter("e", "E", "m", 2, Ops.KIND_FILE, Ops.FORCE, "/tmp/put-2").site).isEqualTo("(other)");
        aOther.record(10, 5, false, 0);
        assertThat(r.dropped()).isEqualTo(3);
        assertThat(r.all()).hasSize(8);
    }

    /**
     * A site holds at most its share of named pairs: a temp-file-per-request write site and its force site stop
     * naming together and fold into their own (other) keys, without the lock from then on, while the other sites keep
     * naming what the budget has left.
     */
    @Test
    void registryGivesEachSiteAShareOfTheNamedPairs() {
        SiteRegistry r = new SiteRegistry(64, 4);
        String w = "W.put(W.java:1)";
        String f = "W.put(W.java:2)";
        String g = "R.get(R.java:9)";
        List<SiteCounter> named = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            named.add(r.counter(w, "W", "put", 1, Ops.KIND_FILE, Ops.WRITE, "/tmp/" + i));
            named.add(r.counter(f, "W", "put", 2, Ops.KIND_FILE, Ops.FORCE, "/tmp/" + i));
        }
        assertThat(named).extracting(c -> c.target).containsExactly("/tmp/0", "/tmp/0", "/tmp/1", "/tmp/1", "/tmp/2",
                "/tmp/2", "/tmp/3", "/tmp/3");
        assertThat(r.folded(w, Ops.KIND_FILE, Ops.WRITE, "/tmp/4")).isNull(); // no fold seen yet
        SiteCounter wFold = r.counter(w, "W", "put", 1, Ops.KIND_FILE, Ops.WRITE, "/tmp/4");
        assertThat(wFold.site + " " + wFold.target).isEqualTo(w + " (other)");
        SiteCounter fFold = r.counter(f, "W", "put", 2, Ops.KIND_FILE, Ops.FORCE, "/tmp/4");
        assertThat(fFold.site + " " + fFold.target).isEqualTo(f + " (other)");
        // 8 of 64 pairs named: another site still names its targets
        SiteCounter obj = r.counter(g, "R", "get", 9, Ops.KIND_FILE, Ops.READ, "/obj/a");
        assertThat(obj.target).isEqualTo("/obj/a");
        // the full sites' later new targets fold without the lock, before maxSites is reached
        assertThat(r.folded(w, Ops.KIND_FILE, Ops.WRITE, "/tmp/5")).isSameAs(wFold);
        assertThat(r.folded(f, Ops.KIND_FILE, Ops.FORCE, new String("/tmp/5"))).isSameAs(fFold);
        assertThat(r.counter(w, "W", "put", 1, Ops.KIND_FILE, Ops.WRITE, "/tmp/5")).isSameAs(wFold);
        // a named pair keeps its keys and gets its new ops named; a target named elsewhere is a new pair: folded
        assertThat(r.folded(w, Ops.KIND_FILE, Ops.WRITE, "/tmp/1")).isNull();
        assertThat(r.counter(w, "W", "put", 1, Ops.KIND_FILE, Ops.WRITE, "/tmp/1")).isSameAs(named.get(2));
        assertThat(r.counter(w, "W", "put", 1, Ops.KIND_FILE, Ops.READ, "/tmp/1").target).isEqualTo("/tmp/1");
        assertThat(r.folded(w, Ops.KIND_FILE, Ops.WRITE, "/obj/a")).isNull(); // named: the lock decides
        assertThat(r.counter(w, "W", "put", 1, Ops.KIND_FILE, Ops.WRITE, "/obj/a")).isSameAs(wFold);
        wFold.record(5, 100, false, 0);
        fFold.record(5, 0, false, 0);
        assertThat(r.dropped()).isEqualTo(2);
        assertThat(r.all()).hasSize(8 + 2 + 1 + 1);
    }

    /**
     * A file folded at first sight at a full write site stays folded at its force site, which still has room: the
     * requests in flight when the write site filled bring their files to the force site before it fills, and naming
     * them there split a file's writes (folded) from its forces (named). Folds without the lock count as first sight
     * too. The force site's own (other) keys take them, and it still names the files the write site named.
     */
    @Test
    void registryKeepsATargetFoldedAtFirstSightFoldedAtASiteWithRoom() {
        SiteRegistry r = new SiteRegistry(64, 4);
        String w = "W.put(W.java:1)";
        String f = "W.put(W.java:2)";
        for (int i = 0; i < 4; i++) {
            r.counter(w, "W", "put", 1, Ops.KIND_FILE, Ops.WRITE, "/tmp/" + i);
        }
        for (int i = 0; i < 3; i++) {
            r.counter(f, "W", "put", 2, Ops.KIND_FILE, Ops.FORCE, "/tmp/" + i);
        }
        SiteCounter wFold = r.counter(w, "W", "put", 1, Ops.KIND_FILE, Ops.WRITE, "/tmp/4");
        assertThat(wFold.target).isEqualTo("(other)");
        assertThat(r.folded(w, Ops.KIND_FILE, Ops.WRITE, "/tmp/5")).isSameAs(wFold); // without the lock
        // the force site has room for one more pair, and spends it on no file the write site folded
        assertThat(r.folded(f, Ops.KIND_FILE, Ops.FORCE, "/tmp/4")).isNull(); // no fold at this site yet
        SiteCounter fFold = r.counter(f, "W", "put", 2, Ops.KIND_FILE, Ops.FORCE, "/tmp/4");
        assertThat(fFold.site + " " + fFold.target).isEqualTo(f + " (other)");
        // from then on without the lock, for targets folded at first sight only: the site still names new ones
        assertThat(r.folded(f, Ops.KIND_FILE, Ops.FORCE, new String("/tmp/5"))).isSameAs(fFold);
        assertThat(r.counter(f, "W", "put", 2, Ops.KIND_FILE, Ops.FORCE, new String("/tmp/5"))).isSameAs(fFold);
        assertThat(r.folded(f, Ops.KIND_FILE, Ops.FORCE, "/tmp/6")).isNull();
        assertThat(r.folded(f, Ops.KIND_FILE, Ops.FORCE, "/tmp/3")).isNull();
        assertThat(r.counter(f, "W", "put", 2, Ops.KIND_FILE, Ops.FORCE, "/tmp/3").target).isEqualTo("/tmp/3");
        // the same files read at a third site with room fold there too; a file no site has seen is named
        assertThat(r.counter("G.get(G.java:3)", "G", "get", 3, Ops.KIND_FILE, Ops.READ, "/tmp/4").target)
                .isEqualTo("(other)");
        assertThat(r.counter("G.get(G.java:3)", "G", "get", 3, Ops.KIND_FILE, Ops.READ, "/obj/a").target)
                .isEqualTo("/obj/a");
        // the socket of the same name is another target
        assertThat(r.counter("G.get(G.java:3)", "G", "get", 3, Ops.KIND_SOCKET, Ops.WRITE, "/tmp/4").target)
                .isEqualTo("/tmp/4");
        wFold.record(5, 100, false, 0);
        fFold.record(5, 0, false, 0);
        assertThat(r.dropped()).isEqualTo(2);
    }

    /**
     * The memory of targets folded at first sight holds two per set of {@link SiteRegistry#RECENT_FOLD_SETS}: a third
     * target folded into the same set makes the first one's fold forgotten, and a site with room then names it.
     */
    @Test
    void registryForgetsTheOldestOfThreeFoldedTargetsThatShareASet() {
        java.util.Map<Integer, List<String>> bySet = new java.util.HashMap<>();
        List<String> three = null;
        for (int i = 0; three == null; i++) {
            String t = "/tmp/put-" + i;
            List<String> in = bySet.computeIfAbsent(SiteRegistry.foldSet(SiteRegistry.foldMark(Ops.KIND_FILE,
                    SiteRegistry.targetHash(t))), k -> new ArrayList<>());
            in.add(t);
            if (in.size() == 3) {
                three = in;
            }
        }
        SiteRegistry r = new SiteRegistry(64, 16);
        String w = "W.put(W.java:1)";
        for (int i = 0; i < 16; i++) {
            r.counter(w, "W", "put", 1, Ops.KIND_FILE, Ops.WRITE, "/named/" + i);
        }
        for (String t : three) {
            assertThat(r.counter(w, "W", "put", 1, Ops.KIND_FILE, Ops.WRITE, t).target).isEqualTo("(other)");
        }
        String f = "W.put(W.java:2)";
        assertThat(r.counter(f, "W", "put", 2, Ops.KIND_FILE, Ops.FORCE, three.get(0)).target)
                .isEqualTo(three.get(0));
        assertThat(r.counter(f, "W", "put", 2, Ops.KIND_FILE, Ops.FORCE, three.get(1)).target).isEqualTo("(other)");
        assertThat(r.counter(f, "W", "put", 2, Ops.KIND_FILE, Ops.FORCE, three.get(2)).target).isEqualTo("(other)");
    }

    @Test
    void registryNamesAKnownTargetsNewSitesOnlyUpToTheCeiling() {
        SiteRegistry r = new SiteRegistry(2);
        r.counter("s0", "S", "m", 0, Ops.KIND_FILE, Ops.WRITE, "/t");
        for (int i = 1; i < SiteRegistry.PAIR_CEILING * 2; i++) {
            assertThat(r.counter("s" + i, "S", "m", i, Ops.KIND_FILE, Ops.WRITE, "/t").target).isEqualTo("/t");
        }
        SiteCounter past = r.counter("late", "S", "m", 99, Ops.KIND_FILE, Ops.WRITE, "/t");
        assertThat(past.site).isEqualTo("(other)");
        // the folded pair's other ops fold too
        assertThat(r.counter("late", "S", "m", 99, Ops.KIND_FILE, Ops.FORCE, "/t").site).isEqualTo("(other)");
        assertThat(r.counter("s1", "S", "m", 1, Ops.KIND_FILE, Ops.FORCE, "/t").target).isEqualTo("/t");
    }

    @Test
    void sampleGapsAreWithinBoundsAndVary() {
        StreamState st = new StreamState(Ops.KIND_FILE, "/f", false, 12345);
        long sum = 0;
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            int g = st.nextGap(256);
            assertThat(g).isBetween(1, 511);
            sum += g;
            seen.add(g);
        }
        assertThat(sum / 100_000.0).isBetween(246.0, 266.0);
        assertThat(seen.size()).isGreaterThan(400);
    }

    @Test
    void fastReadsAndWritesAreTimedOnASampleOtherOpsAndSlowStreamsAlways() {
        Recorder.configure(4096, 256, 8, null, new String[0], new String[0]);
        StreamState st = new StreamState(Ops.KIND_FILE, "/f", false, 7);
        int timed = 0;
        for (int i = 0; i < 1000; i++) {
            if (Recorder.clock(st, Ops.WRITE) != Recorder.UNTIMED) {
                timed++;
            }
        }
        // the first 16, then ticks 16, 24, ..., 992
        assertThat(timed).isEqualTo(16 + 123);
        for (int i = 0; i < 10; i++) {
            assertThat(Recorder.clock(st, Ops.FORCE)).isNotEqualTo(Recorder.UNTIMED);
        }
        st.slowOps = 1 << Ops.READ; // what end() sets after a read of at least SLOW_NANOS
        for (int i = 0; i < 100; i++) {
            assertThat(Recorder.clock(st, Ops.READ)).isNotEqualTo(Recorder.UNTIMED);
        }
        assertThat(Recorder.clock(null, Ops.READ)).isEqualTo(Recorder.UNTIMED);
        Recorder.configure(4096, 256, 1, null, new String[0], new String[0]);
        for (int i = 0; i < 100; i++) {
            assertThat(Recorder.clock(st, Ops.WRITE)).isNotEqualTo(Recorder.UNTIMED);
        }
    }

    @Test
    void aNewStreamIsItsThreadsPendingStateUntilTheThreadStartsAnother() throws Exception {
        Recorder.configure(4096, 256, 32, null, new String[0], new String[0]);
        Recorder.enable();
        try {
            int before = Recorder.tableStates();
            Object a = new Object();
            StreamState sa = Recorder.fileState(a, "/a", 1001);
            assertThat(Recorder.fileState(a, "/a", 1001)).isSameAs(sa);
            assertThat(Recorder.tableStates()).isEqualTo(before);
            Recorder.closed(a, 1001); // closed while pending: forgotten, the table never saw it

            Object b = new Object();
            StreamState sb = Recorder.fileState(b, "/b", 1002);
            assertThat(sb).isNotSameAs(sa);
            assertThat(Recorder.tableStates()).isEqualTo(before);
            Object c = new Object();
            StreamState sc = Recorder.fileState(c, "/c", 1003); // b outlived the start of c: b enters the table
            assertThat(Recorder.tableStates()).isEqualTo(before + 1);
            assertThat(Recorder.fileState(b, "/b", 1002)).isSameAs(sb);
            assertThat(Recorder.fileState(c, "/c", 1003)).isSameAs(sc);

            // another thread finds b in the table, and gets a state of its own for c, pending here
            StreamState[] other = new StreamState[2];
            Thread t = new Thread(() -> {
                other[0] = Recorder.fileState(b, "/b", 1002);
                other[1] = Recorder.fileState(c, "/c", 1003);
            });
            t.start();
            t.join();
            assertThat(other[0]).isSameAs(sb);
            assertThat(other[1]).isNotSameAs(sc);
            assertThat(other[1].target).isEqualTo("/c");

            Recorder.closed(b, 1002); // in the table: queued for the next insert
            Recorder.closed(c, 1003); // pending here: forgotten
            Object d = new Object();
            StreamState sd = Recorder.fileState(d, "/d", 1004); // nothing pending: no insert, b still queued
            assertThat(Recorder.tableStates()).isEqualTo(before + 1);
            Object e = new Object();
            Recorder.fileState(e, "/e", 1005); // d enters, b is deleted
            assertThat(Recorder.tableStates()).isEqualTo(before + 1);
            assertThat(Recorder.fileState(d, "/d", 1004)).isSameAs(sd);
            StreamState sb2 = Recorder.fileState(b, "/b", 1002); // closed and gone: a new state, pending
            assertThat(sb2).isNotSameAs(sb);
            assertThat(Recorder.tableStates()).isEqualTo(before + 2); // e entered the table

            // a pending stream's operations past the first few move it to the table, and it leaves the slot
            for (int i = 0; i < Recorder.PROMOTE_AFTER; i++) {
                assertThat(Recorder.fileState(b, "/b", 1002)).isSameAs(sb2);
                Recorder.clock(sb2, Ops.READ);
            }
            assertThat(Recorder.tableStates()).isEqualTo(before + 2);
            assertThat(Recorder.fileState(b, "/b", 1002)).isSameAs(sb2);
            assertThat(Recorder.tableStates()).isEqualTo(before + 3);
            Object f = new Object();
            Recorder.fileState(f, "/f", 1006); // nothing pending any more: no insert
            assertThat(Recorder.tableStates()).isEqualTo(before + 3);
        } finally {
            Recorder.disable();
        }
    }

    @Test
    void untimedOperationsAreCountedButLeaveTheHistogramAlone() {
        SiteCounter c = new SiteCounter("s", "C", "m", 1, Ops.KIND_FILE, Ops.READ, "/t");
        c.record(-1, 100, false, 1);
        c.record(-1, 100, false, 2);
        c.record(-1, 0, true, 0);
        c.record(500, 100, false, 1);
        assertThat(c.count()).isEqualTo(4);
        assertThat(c.bytes()).isEqualTo(300);
        assertThat(c.errors()).isEqualTo(1);
        assertThat(c.sequentialOps()).isEqualTo(2);
        assertThat(c.randomOps()).isEqualTo(1);
        assertThat(c.sumNanos()).isEqualTo(500);
        assertThat(c.maxNanos()).isEqualTo(500);
        long h = 0;
        for (long b : c.histogram()) {
            h += b;
        }
        assertThat(h).isEqualTo(1);
    }

    /**
     * A stream per request: its close clears the tag entry its first operation's resolution made, so the site's next
     * tagged call, on the next request's stream, finds none (and reads no dead state); an entry that names a newer
     * state stays when an older stream closes.
     */
    @Test
    void aPerRequestStreamsCloseClearsTheTagEntryThatNamesItsState() {
        Recorder.configure(4096, 256, 32, null, new String[0], new String[0]);
        Recorder.enable();
        try {
            int id = CallSiteTags.register("com.acme.Gw", "get", "Gw.java", 42);
            if (id < 0) { // CallSiteTagsTest, in this JVM before, left the ids at their capacity
                CallSiteTags.capacity(CallSiteTags.size() + 1);
                id = CallSiteTags.register("com.acme.Gw", "get", "Gw.java", 42);
            }
            Object first = new java.io.ByteArrayOutputStream(); // a JDK class, as the tagged streams are
            CallSiteTags.Slot slot = CallSiteTags.set(first, id);
            assertThat(slot).isSameAs(CallSiteTags.slot());
            StreamState st = Recorder.fileState(first, "/obj/1", 4001);
            Recorder.end(st, Ops.READ, Recorder.clock(st, Ops.READ), 100, 0, null);
            CallSiteTags.done(slot);
            assertThat(st.readCounter.site).isEqualTo("com.acme.Gw.get(Gw.java:42)");
            assertThat(st.seenTag).isEqualTo(id);
            assertThat(CallSiteTags.set(first, id)).as("the site's entry names this stream's state").isNull();
            st.calledFrom = CallSiteTags.NO_TAG; // as an operation's recording would take it
            Recorder.closed(first, 4001);
            assertThat(CallSiteTags.set(first, id)).as("the entry was cleared at the close").isSameAs(slot);
            CallSiteTags.done(slot);

            Object second = new java.io.ByteArrayOutputStream();
            CallSiteTags.set(second, id);
            StreamState st2 = Recorder.fileState(second, "/obj/2", 4002);
            Recorder.end(st2, Ops.READ, Recorder.clock(st2, Ops.READ), 100, 0, null);
            CallSiteTags.done(slot);
            Object third = new java.io.ByteArrayOutputStream();
            CallSiteTags.set(third, id);
            StreamState st3 = Recorder.fileState(third, "/obj/3", 4003); // second outlived this start: in the table
            Recorder.end(st3, Ops.READ, Recorder.clock(st3, Ops.READ), 100, 0, null);
            CallSiteTags.done(slot);
            Recorder.closed(second, 4002);
            assertThat(CallSiteTags.set(third, id)).as("the entry names the third stream's state").isNull();
            st3.calledFrom = CallSiteTags.NO_TAG;
            Recorder.closed(third, 4003);
            assertThat(CallSiteTags.set(third, id)).isSameAs(slot);
            CallSiteTags.done(slot);
        } finally {
            Recorder.disable();
            Recorder.counters(); // deletes the second stream's closed state from the table: other tests count states
        }
    }

    /**
     * {@link StreamStateHead}'s point: the fields an operation on a tabled stream reads lie in the 64 bytes from the
     * referent, which the table's lookup compares, and the state's own fields after them (HotSpot's layout).
     */
    @Test
    void theFieldsAnOperationReadsLieInTheSixtyFourBytesFromTheReferent() throws Exception {
        java.lang.reflect.Field uf = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
        uf.setAccessible(true);
        sun.misc.Unsafe u = (sun.misc.Unsafe) uf.get(null);
        long referent = u.objectFieldOffset(java.lang.ref.Reference.class.getDeclaredField("referent"));
        long headEnd = 0;
        int headFields = 0;
        for (java.lang.reflect.Field f : StreamStateHead.class.getDeclaredFields()) {
            if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                headFields++;
                long size = f.getType() == boolean.class ? 1 : f.getType() == long.class ? 8 : 4;
                headEnd = Math.max(headEnd, u.objectFieldOffset(f) + size);
            }
        }
        assertThat(headFields).isEqualTo(14);
        assertThat(headEnd - referent).isLessThanOrEqualTo(64);
        for (java.lang.reflect.Field f : StreamState.class.getDeclaredFields()) {
            if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                assertThat(u.objectFieldOffset(f)).as(f.getName()).isGreaterThanOrEqualTo(headEnd);
            }
        }
    }

    /**
     * The lock-free lookup returns a key's cells and, as a hint, its counter ({@link SiteRegistry#findInto}); a pair
     * torn by two rewrites of its set (the cells of one key, another's counter) still counts every operation in the
     * right key, and the rare paths that read the counter check it against the cells first: a latency outside the
     * home chunks goes to the key the cells belong to, and a re-validation does not take the hint's site as its own.
     */
    @Test
    void aTornLookupPairStillCountsInTheRightKeyAndItsCounterIsCheckedBeforeUse() throws Exception {
        Recorder.configure(4096, 256, 32, null, new String[0], new String[0]);
        Recorder.enable();
        try {
            int id = CallSiteTags.register("com.acme.Torn", "get", "Torn.java", 7);
            if (id < 0) { // another test in this JVM left the ids at their capacity
                CallSiteTags.capacity(CallSiteTags.size() + 1);
                id = CallSiteTags.register("com.acme.Torn", "get", "Torn.java", 7);
            }
            StreamState sx = tagged(id, "/torn/x", 5001, 1, Recorder.clock(null, Ops.READ));
            StreamState sy = tagged(id, "/torn/y", 5002, 1, Recorder.clock(null, Ops.READ));
            SiteCounter x = sx.readCounter;
            SiteCounter y = sy.readCounter;
            assertThat(x.target).isEqualTo("/torn/x");
            assertThat(y.target).isEqualTo("/torn/y");
            assertThat(x.site).isEqualTo(y.site).isEqualTo("com.acme.Torn.get(Torn.java:7)");

            java.lang.reflect.Field rf = Recorder.class.getDeclaredField("registry");
            rf.setAccessible(true);
            java.lang.reflect.Field ef = SiteRegistry.class.getDeclaredField("recent");
            ef.setAccessible(true);
            Object[] recent = (Object[]) ef.get(rf.get(null));
            int at = -1;
            for (int i = 0; i < recent.length; i += 2) {
                at = recent[i] == x.cells ? i : at;
            }
            assertThat(at).as("x's entry").isNotNegative();
            assertThat(recent[at + 1]).isSameAs(x);
            recent[at + 1] = y; // torn: x's cells, y's counter

            long yCount = y.count();
            long[] yHistogram = y.histogram();
            // a new stream of x: its first read (50 s) takes x's second home chunk (the first stream's took the
            // first), its second and third (1 ms, another chunk) are outside both: the counter is read there
            long now = System.nanoTime();
            StreamState st = tagged(id, "/torn/x", 5003, 3, now - 50_000_000_000L, now - 1_000_000L);
            assertThat(st.readCells).isSameAs(x.cells);
            assertThat(st.readCounter).as("the hint, as the lookup found it").isSameAs(y);
            assertThat(x.count()).isEqualTo(4);
            assertThat(x.bytes()).isEqualTo(4 * 100);
            assertThat(y.count()).isEqualTo(yCount).isEqualTo(1);
            assertThat(y.histogram()).containsExactly(yHistogram);
            long[] h = x.histogram();
            assertThat(java.util.Arrays.stream(h).sum()).isEqualTo(4);
            assertThat(x.cells[SiteCounter.HOME] >>> 8).as("the 50 s read's chunk, x's second home")
                    .isEqualTo(LatencyBuckets.index(50_000_000_000L) / 8 + 1);
            long inHomes = 0;
            for (int i = 0; i < 16; i++) {
                inHomes += x.cells[SiteCounter.HISTOGRAM + i];
            }
            assertThat(inHomes).as("the first stream's read and the 50 s one").isEqualTo(2);
            long slow = 0; // 1 ms and whatever the test took since: in chunks neither home holds
            for (int b = LatencyBuckets.index(1_000_000L); b < LatencyBuckets.index(1_000_000_000L); b++) {
                slow += h[b];
            }
            assertThat(slow).as("the two reads of 1 ms and more, outside x's homes, in x's histogram").isEqualTo(2);
            assertThat(x.maxNanos()).isGreaterThanOrEqualTo(50_000_000_000L);
            assertThat(y.maxNanos()).isLessThan(1_000_000_000L);

            // a sampled re-validation at the same site does not compare with the hint's fields as if they were x's
            st.countdown = 1;
            Object same = st.get();
            CallSiteTags.Slot slot = CallSiteTags.set(same, id);
            Recorder.end(st, Ops.READ, Recorder.UNTIMED, 100, Ops.CURRENT, null);
            CallSiteTags.done(slot);
            assertThat(st.readCells).isSameAs(x.cells);
            assertThat(x.count()).isEqualTo(5);
            assertThat(y.count()).isEqualTo(1);
            assertThat(Recorder.owner(y, x.cells)).isSameAs(x);
            assertThat(Recorder.owner(x, x.cells)).isSameAs(x);
            assertThat(Recorder.owner(null, new long[SiteCounter.LENGTH])).isNull();
            Recorder.closed(sx.get(), 5001);
            Recorder.closed(sy.get(), 5002);
            Recorder.closed(same, 5003);
        } finally {
            Recorder.disable();
            Recorder.counters();
        }
    }

    /**
     * A new stream on {@code target} at the tagged site {@code id}: its first {@code ops} reads of 100 bytes, each
     * timed from its entry in {@code starts} (the last one repeated; {@link Recorder#UNTIMED} for none), under the
     * site's tag; the stream stays open and is the thread's pending one.
     */
    private static StreamState tagged(int id, String target, int fd, int ops, long... starts) {
        Object stream = new java.io.ByteArrayOutputStream(); // a JDK class, as the tagged streams are
        StreamState st = null;
        for (int i = 0; i < ops; i++) {
            CallSiteTags.Slot slot = CallSiteTags.set(stream, id);
            st = Recorder.fileState(stream, target, fd);
            long start = starts[Math.min(i, starts.length - 1)];
            Recorder.clock(st, Ops.READ);
            Recorder.end(st, Ops.READ, start == Recorder.UNTIMED ? System.nanoTime() : start, 100, Ops.CURRENT, null);
            CallSiteTags.done(slot);
        }
        return st;
    }
}
