package dev.hotpath.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --workspace DIR|JDBC-URL}, shared by the commands that read or write runs; mixed in with {@code @Mixin}. */
public final class WorkspaceOptions {
    static final String ENV = "HOTPATH_WORKSPACE";

    @Option(names = "--workspace", paramLabel = "DIR|JDBC-URL",
            description = "Where runs are stored: a directory (SQLite) or a jdbc:postgresql:// URL. "
                    + "Default: $HOTPATH_WORKSPACE, else ~/.hotpath/workspace.")
    String workspace;

    /** The option, else the environment variable, else {@code ~/.hotpath/workspace}. */
    public String location() {
        if (workspace != null && !workspace.isBlank()) {
            return workspace;
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return env;
        }
        return Path.of(System.getProperty("user.home"), ".hotpath", "workspace").toString();
    }
}
