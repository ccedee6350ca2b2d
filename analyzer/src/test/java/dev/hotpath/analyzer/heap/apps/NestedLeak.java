package dev.hotpath.analyzer.heap.apps;

import java.util.HashMap;
import java.util.Map;

/**
 * Growth below a field path, like a service's never-pruned access index: {@code main} keeps a Service in a local;
 * each "grow" records 3000 accesses in {@code service.index.byId}; {@code service.config} stays the same.
 */
public final class NestedLeak {
    public static final class Access {
        final byte[] headers = new byte[1024];
        final String id;

        Access(String id) {
            this.id = id;
        }
    }

    static final class Index {
        final Map<String, Access> byId = new HashMap<>();
        int next;

        void record() {
            String id = "req#" + next++;
            byId.put(id, new Access(id));
        }
    }

    static final class Service {
        final Index index = new Index();
        final Map<String, String> config = new HashMap<>();

        void grow() {
            for (int i = 0; i < 3000; i++) {
                index.record();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Service service = new Service();
        for (int i = 0; i < 200; i++) {
            service.config.put("key" + i, "value" + i);
        }
        service.grow();
        Ready.signalAndWait(service::grow);
        System.out.println(service.index.byId.size());
    }
}
