package dev.hotpath.analyzer.store;

import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;

/**
 * Keeps Flyway's progress chatter ("Migrating schema ...") off the CLI's stdout/stderr, whatever logging library
 * happens to be on the class path (Javalin brings slf4j-simple, which would print every line). Failures still
 * reach the user: Flyway throws them, and {@link SchemaMigrator} turns them into one-line StoreExceptions.
 * Flyway instantiates this class by name, hence public with a public no-argument constructor.
 */
public final class QuietFlywayLog implements LogCreator {
    private static final Log SILENT = new Log() {
        @Override public void debug(String message) { }
        @Override public void info(String message) { }
        @Override public void warn(String message) { }
        @Override public void error(String message) { }
        @Override public void error(String message, Exception e) { }
        @Override public void notice(String message) { }
    };

    public QuietFlywayLog() {
    }

    @Override
    public Log createLogger(Class<?> clazz) {
        return SILENT;
    }
}
