package dev.hotpath.analyzer.heap.apps;

import java.util.ArrayList;
import java.util.List;

/** Leak fixture: sessions register listeners on a global event bus and never unregister. */
public final class ListenerLeak {
    public static final class EventBus {
        final List<Listener> listeners = new ArrayList<>();

        void register(Listener l) {
            listeners.add(l);
        }
    }

    public static final class Listener {
        final byte[] state = new byte[2000];
        final String name;

        Listener(String name) {
            this.name = name;
        }
    }

    static final EventBus BUS = new EventBus();

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 8000; i++) {
            BUS.register(new Listener("session-" + i));
        }
        Ready.signalAndWait((Runnable) null);
    }
}
