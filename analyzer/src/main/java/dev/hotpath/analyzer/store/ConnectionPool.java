package dev.hotpath.analyzer.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Keeps a few PostgreSQL connections for reuse: a new one costs a server process and an authentication round trip,
 * which the web UI would otherwise pay on every request. A borrowed connection's {@code close()} hands it back
 * (rolled back, auto-commit restored). An idle connection is checked with {@code isValid} (one empty round trip,
 * far cheaper than a new connection) before it is lent again, and one that failed with a connection error (SQLState
 * class 08) is never kept, so a restarted server or a terminated backend does not fail the next call. Thread-safe.
 */
final class ConnectionPool implements AutoCloseable {
    interface Opener {
        Connection open() throws SQLException;
    }

    static final int MAX_IDLE = 4;

    private final Opener opener;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private boolean closed;

    ConnectionPool(Opener opener) {
        this.opener = opener;
    }

    Connection borrow() throws SQLException {
        while (true) {
            Connection candidate;
            synchronized (this) {
                candidate = idle.pollFirst();
            }
            if (candidate == null) {
                return wrap(opener.open());
            }
            if (candidate.isValid(2)) {
                return wrap(candidate);
            }
            closeQuietly(candidate);
        }
    }

    private Connection wrap(Connection real) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                new Borrowed(real));
    }

    private void giveBack(Connection real, boolean broken) {
        if (!broken) {
            try {
                if (!real.getAutoCommit()) {
                    real.rollback();
                    real.setAutoCommit(true);
                }
                synchronized (this) {
                    if (!closed && idle.size() < MAX_IDLE) {
                        idle.addFirst(real);
                        return;
                    }
                }
            } catch (SQLException e) {
                // Could not reset it: not fit for reuse.
            }
        }
        closeQuietly(real);
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            for (Connection c : idle) {
                closeQuietly(c);
            }
            idle.clear();
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // Already broken; nothing left to release.
        }
    }

    private final class Borrowed implements InvocationHandler {
        private final Connection real;
        private boolean broken;
        private boolean returned;

        Borrowed(Connection real) {
            this.real = real;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "close":
                    if (!returned) {
                        returned = true;
                        giveBack(real, broken);
                    }
                    return null;
                case "isClosed":
                    return returned || real.isClosed();
                case "unwrap":
                case "isWrapperFor":
                    break;
                default:
                    if (returned) {
                        throw new SQLException("connection already returned to the pool");
                    }
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                    broken = true;
                }
                throw cause;
            }
        }
    }
}
