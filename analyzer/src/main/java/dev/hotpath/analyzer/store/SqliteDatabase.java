package dev.hotpath.analyzer.store;

import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A workspace directory holding {@code hotpath.db}, a SQLite database in WAL mode.
 *
 * <p>Concurrency: WAL lets readers run beside one writer; write transactions begin IMMEDIATE (taking the write lock
 * at BEGIN, so a transaction never has to upgrade a read lock, which SQLite would refuse with SQLITE_BUSY without
 * waiting), and a busy timeout makes a second writer wait for the first instead of failing. Opening takes an OS file
 * lock on {@code hotpath.lock} while it migrates, so two processes opening a fresh workspace at once do not both try
 * to create the schema. Durability: {@code synchronous=FULL}, so a committed run survives even a power cut.
 */
final class SqliteDatabase implements Database {
    static final String DB_FILE = "hotpath.db";
    static final String LOCK_FILE = "hotpath.lock";
    /** Long enough for another process to save a large run; a writer waits this long before giving up. */
    static final int BUSY_TIMEOUT_MS = 60_000;
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final String LIST_TABLES =
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";

    private final Path directory;
    private final String url;
    private final SQLiteConfig writeConfig;
    private final SQLiteConfig readConfig;

    private SqliteDatabase(Path directory) {
        this.directory = directory;
        this.url = "jdbc:sqlite:" + directory.resolve(DB_FILE);
        this.writeConfig = config(SQLiteConfig.TransactionMode.IMMEDIATE);
        this.readConfig = config(SQLiteConfig.TransactionMode.DEFERRED);
    }

    private static SQLiteConfig config(SQLiteConfig.TransactionMode mode) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setTransactionMode(mode);
        return config;
    }

    static SqliteDatabase open(String location) throws StoreException {
        Path directory = checkDirectory(location);
        checkDatabaseFile(directory);
        SqliteDatabase database = new SqliteDatabase(directory);
        database.initialize();
        return database;
    }

    @Override
    public Connection forWrite() throws SQLException {
        return writeConfig.createConnection(url);
    }

    @Override
    public Connection forRead() throws SQLException {
        return readConfig.createConnection(url);
    }

    @Override
    public String location() {
        return directory.toString();
    }

    private static Path checkDirectory(String location) throws StoreException {
        Path directory;
        try {
            String expanded = location.equals("~") || location.startsWith("~/")
                    ? System.getProperty("user.home") + location.substring(1) : location;
            directory = Path.of(expanded).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new StoreException("workspace " + location + ": not a valid path (" + e.getReason() + ")");
        }
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new StoreException("workspace " + directory + ": is a file, not a directory");
        }
        try {
            Files.createDirectories(directory);
        } catch (FileSystemException e) {
            throw new StoreException("workspace " + directory + ": cannot create the directory (" + describe(e, directory) + ")",
                    e);
        } catch (IOException | SecurityException e) {
            throw new StoreException("workspace " + directory + ": cannot create the directory ("
                    + Failures.oneLine(e) + ")", e);
        }
        if (!Files.isWritable(directory)) {
            throw new StoreException("workspace " + directory + ": the directory is not writable");
        }
        return directory;
    }

    /** The OS's reason, naming the path that failed when it is not the workspace itself. */
    private static String describe(FileSystemException e, Path directory) {
        String reason = e.getReason();
        if (reason == null) {
            reason = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof NoSuchFileException ? "no such file or directory"
                    : e instanceof FileAlreadyExistsException ? "a file is in the way"
                    : e.getClass().getSimpleName();
        }
        return e.getFile() != null && !e.getFile().equals(directory.toString()) ? e.getFile() + ": " + reason : reason;
    }

    /** Refuses a file that is not SQLite before SQLite sees it, so nothing ever writes to someone else's file. */
    private static void checkDatabaseFile(Path directory) throws StoreException {
        Path file = directory.resolve(DB_FILE);
        if (!Files.exists(file)) {
            return;
        }
        if (!Files.isRegularFile(file)) {
            throw new StoreException("workspace " + directory + ": " + DB_FILE + " is not a regular file");
        }
        if (!Files.isWritable(file)) {
            throw new StoreException("workspace " + directory + ": " + DB_FILE + " is read-only");
        }
        byte[] head = new byte[SQLITE_HEADER.length];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new StoreException("workspace " + directory + ": cannot read " + DB_FILE + " ("
                    + Failures.oneLine(e) + ")", e);
        }
        // An empty file is a valid, empty SQLite database; anything else must start with SQLite's magic string.
        if (n > 0 && (n < head.length || !Arrays.equals(head, SQLITE_HEADER))) {
            throw new StoreException("workspace " + directory + ": " + DB_FILE + " is not a SQLite database (it starts with 0x"
                    + HexFormat.of().formatHex(head, 0, Math.min(n, 8)).toUpperCase(Locale.ROOT) + ")");
        }
    }

    private void initialize() throws StoreException {
        // One migrating opener per workspace: the OS lock orders processes, the monitor orders threads of this JVM
        // (the OS lock is per process, and FileChannel.lock throws when the same JVM asks twice).
        synchronized (SqliteDatabase.class) {
            try (FileChannel channel = FileChannel.open(directory.resolve(LOCK_FILE),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = channel.lock();
                try {
                    enableWal();
                    SchemaMigrator.migrate(this, "sqlite", LIST_TABLES);
                } finally {
                    lock.release();
                }
            } catch (IOException e) {
                throw new StoreException("workspace " + directory + ": cannot lock " + LOCK_FILE + " ("
                        + Failures.oneLine(e) + ")", e);
            }
        }
    }

    private void enableWal() throws StoreException {
        try (Connection c = forWrite(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA journal_mode=WAL")) {
            String mode = rs.next() ? rs.getString(1) : "?";
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new StoreException("workspace " + directory + ": SQLite refused WAL mode (journal mode is "
                        + mode + ")");
            }
        } catch (SQLException e) {
            throw new StoreException("workspace " + directory + ": cannot open " + DB_FILE + ": "
                    + Failures.oneLine(e), e);
        }
    }
}
