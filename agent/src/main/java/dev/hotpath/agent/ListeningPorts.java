package dev.hotpath.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * The TCP ports something listens on in this process's network namespace, from Linux's {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6} (state {@code 0A}, LISTEN), read once before recording starts. The recorder learns a
 * server's ports at each accept; an agent attached to a running server also needs the ports of connections accepted
 * before it came, or they would keep per-connection targets for good. A port listened on in the namespace is never
 * the local port of a connection opened from it (Linux does not pick a port bound by {@code bind()} as a connect's
 * ephemeral port), so every port found is safe to seed. Nothing found (another OS, no {@code /proc}) seeds nothing:
 * accepts still teach the recorder.
 */
final class ListeningPorts {
    private static final Path[] TABLES = {Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")};
    /** {@code st} of a listening socket in the kernel's table. */
    private static final String LISTEN = "0A";

    private ListeningPorts() {
    }

    static BitSet read() {
        BitSet ports = new BitSet(65536);
        for (Path table : TABLES) {
            try (BufferedReader r = Files.newBufferedReader(table, StandardCharsets.US_ASCII)) {
                r.readLine(); // the header
                // the kernel lists the listening sockets before all others: stop at the first other one, so that a
                // host with hundreds of thousands of connections costs its listeners' lines, not the whole table
                for (String line; (line = r.readLine()) != null; ) {
                    if (!parse(line, ports)) {
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, or not readable: accepts alone will teach the recorder
            }
        }
        return ports;
    }

    /**
     * One line of the table: {@code sl local_address rem_address st ...}, addresses as {@code HEXIP:HEXPORT}.
     *
     * @return whether the line is a listening socket's (its port, when readable, is set in {@code ports})
     */
    static boolean parse(String line, BitSet ports) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 4 || !f[3].equals(LISTEN)) {
            return false;
        }
        int colon = f[1].lastIndexOf(':');
        if (colon >= 0) {
            try {
                int port = Integer.parseInt(f[1].substring(colon + 1), 16);
                if (port > 0 && port < 65536) {
                    ports.set(port);
                }
            } catch (NumberFormatException e) {
                // a damaged port: skipped
            }
        }
        return true;
    }
}
