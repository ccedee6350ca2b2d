package dev.hotpath.agent.bootstrap;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tag table and the per-thread slot, in-process (tags against walks end to end: CallSiteTagsIT). Ordered: the
 * table is static and the second test fills it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CallSiteTagsTest {
    @Test
    @Order(1)
    void aTagNamesItsSiteOnlyForItsOwnReceiverOfAJdkClassOnItsOwnThread() throws Exception {
        int id = CallSiteTags.register("com.acme.Foo", "bar", "Foo.java", 88);
        assertThat(CallSiteTags.register("com.acme.Foo", "bar", "Foo.java", 88)).isEqualTo(id);
        Object jdkStream = new java.io.ByteArrayOutputStream(); // boot loader's class, as the recorded streams are
        Object other = new java.io.ByteArrayOutputStream();
        Object appStream = new Object() { };                      // an application class (a subclass's instance)

        CallSiteTags.Slot s = CallSiteTags.set(jdkStream, id);
        CallSites.Site site = CallSiteTags.site(jdkStream);
        assertThat(site.site).isEqualTo("com.acme.Foo.bar(Foo.java:88)");
        assertThat(site.cls).isEqualTo("com.acme.Foo");
        assertThat(site.method).isEqualTo("bar");
        assertThat(site.line).isEqualTo(88);
        assertThat(CallSiteTags.site(other)).isNull();
        CallSites.Site[] seen = new CallSites.Site[1];
        Thread t = new Thread(() -> seen[0] = CallSiteTags.site(jdkStream));
        t.start();
        t.join();
        assertThat(seen[0]).as("another thread's slot").isNull();
        CallSiteTags.done(s);
        assertThat(CallSiteTags.site(jdkStream)).as("after the call returned").isNull();
        assertThat(CallSiteTags.set(jdkStream, id)).as("no tag of the site gave this stream's site yet").isSameAs(s);
        CallSiteTags.done(s);
        StreamState state = new StreamState(jdkStream, Ops.KIND_FILE, "/f", false);
        assertThat(state.calledFrom).isEqualTo(CallSiteTags.NO_TAG);
        CallSiteTags.seen(id, state);
        assertThat(CallSiteTags.set(jdkStream, id)).as("a tag of the site gave this stream's site").isNull();
        assertThat(CallSiteTags.site(jdkStream)).as("not in the slot").isNull();
        assertThat(state.calledFrom).as("the site is left on the stream's state instead").isEqualTo(id);
        state.calledFrom = CallSiteTags.NO_TAG; // as the operation's recording takes it
        CallSiteTags.done(null);
        assertThat(CallSiteTags.set(other, id)).as("another stream at the site").isSameAs(s);
        assertThat(state.calledFrom).as("another stream's call leaves nothing on this one")
                .isEqualTo(CallSiteTags.NO_TAG);
        CallSiteTags.done(s);
        assertThat(CallSiteTags.set(jdkStream, id)).as("the site still remembers the stream it saw").isNull();
        state.clear(); // the stream collected: its state no longer names it
        assertThat(CallSiteTags.set(jdkStream, id)).isSameAs(s);
        CallSiteTags.done(s);

        CallSiteTags.set(appStream, id);
        assertThat(CallSiteTags.site(appStream)).as("an application subclass may override in between").isNull();

        CallSiteTags.set(jdkStream, id);
        CallSiteTags.clearIf(other);
        assertThat(CallSiteTags.site(jdkStream)).isSameAs(site);
        CallSiteTags.clearIf(jdkStream);
        assertThat(CallSiteTags.site(jdkStream)).as("after the recorded operation threw").isNull();
    }

    @Test
    @Order(2)
    void everyThreadKeepsItsOwnSlotWhenThreadIdsShareAnEntry() throws Exception {
        // two threads of an application subclass that reports one id for both: they take turns in one entry of the
        // slots' array, and each must still only ever get its own slot, with what it left there
        int rounds = 2_000;
        java.util.concurrent.CyclicBarrier turn = new java.util.concurrent.CyclicBarrier(2);
        Object[] receivers = {new java.io.ByteArrayOutputStream(), new java.io.ByteArrayOutputStream()};
        CallSiteTags.Slot[][] seen = new CallSiteTags.Slot[2][rounds];
        int[] wrong = new int[2];
        Thread[] threads = new Thread[2];
        for (int k = 0; k < 2; k++) {
            int me = k;
            threads[k] = new Thread(() -> {
                try {
                    for (int i = 0; i < rounds; i++) {
                        turn.await();
                        CallSiteTags.Slot s = CallSiteTags.slot();
                        seen[me][i] = s;
                        if (s.owner != Thread.currentThread()) {
                            wrong[me]++;
                        }
                        s.receiver = receivers[me];
                        turn.await(); // the other thread's lookup now lands between this one's two
                        if (CallSiteTags.slot().receiver != receivers[me]) {
                            wrong[me]++;
                        }
                        s.receiver = null;
                    }
                } catch (Exception e) {
                    wrong[me] = -1;
                }
            }) {
                @Override
                @SuppressWarnings("deprecation")
                public long getId() {
                    return 7;
                }
            };
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(wrong).containsExactly(0, 0);
        assertThat(java.util.Arrays.stream(seen[0]).distinct()).as("one slot per thread, all along").hasSize(1);
        assertThat(java.util.Arrays.stream(seen[1]).distinct()).hasSize(1);
        assertThat(seen[0][0]).isNotSameAs(seen[1][0]);
        assertThat(CallSiteTags.slot()).as("this thread's own").isNotIn(seen[0][0], seen[1][0]);
        assertThat(CallSiteTags.slot().owner).isSameAs(Thread.currentThread());

        CallSiteTags.Slot[] odd = new CallSiteTags.Slot[2];
        Thread throwing = new Thread(() -> {
            odd[0] = CallSiteTags.slot();
            odd[1] = CallSiteTags.slot();
        }) {
            @Override
            @SuppressWarnings("deprecation")
            public long getId() {
                throw new IllegalStateException("no id here");
            }
        };
        throwing.start();
        throwing.join();
        assertThat(odd[0]).as("a thread whose getId throws still gets its slot").isNotNull().isSameAs(odd[1]);
        assertThat(odd[0].owner).isSameAs(throwing);
    }

    @Test
    @Order(3)
    void sitesAreFormattedLikeWalkedFramesAndBoundedByCapacity() {
        assertThat(CallSiteTags.format("a.B$C", "lambda$run$0", "B.java", 7)).isEqualTo("a.B$C.lambda$run$0(B.java:7)");
        assertThat(CallSiteTags.format("a.B", "m", null, 7)).isEqualTo("a.B.m(Unknown Source)");
        assertThat(CallSiteTags.format("a.B", "m", "B.java", -1)).isEqualTo("a.B.m(B.java)");
        CallSiteTags.capacity(64);
        int registered = CallSiteTags.size();
        for (int i = registered; i < 64; i++) {
            assertThat(CallSiteTags.register("a.Full", "m", "Full.java", i)).isEqualTo(i);
        }
        assertThat(CallSiteTags.register("a.Full", "m", "Full.java", 1000)).as("past the capacity").isEqualTo(-1);
        assertThat(CallSiteTags.size()).isEqualTo(64);
        assertThat(CallSiteTags.register("a.Full", "m", "Full.java", 63)).as("a known site still has its id")
                .isEqualTo(63);
    }
}
