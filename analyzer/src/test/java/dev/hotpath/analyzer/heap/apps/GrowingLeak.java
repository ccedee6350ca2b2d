package dev.hotpath.analyzer.heap.apps;

import java.util.HashMap;
import java.util.Map;

/** Growth fixture: each "grow" adds 3000 sessions to a static map; a second static map stays the same. */
public final class GrowingLeak {
    public static final class Session {
        final long[] data = new long[64];
        final String id;

        Session(String id) {
            this.id = id;
        }
    }

    static final Map<String, Session> SESSIONS = new HashMap<>();
    static final Map<String, String> CONFIG = new HashMap<>();
    static int next;

    static void grow() {
        for (int i = 0; i < 3000; i++) {
            String id = "s" + next++;
            SESSIONS.put(id, new Session(id));
        }
    }

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 200; i++) {
            CONFIG.put("key" + i, "value" + i);
        }
        grow();
        Ready.signalAndWait(GrowingLeak::grow);
    }
}
