package io.gatehouse.database;

import org.jboss.logging.Logger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the embedded PostgreSQL running under a running Gatehouse: checks its postmaster every second and,
 * when it has died (killed, crashed), starts it again with {@code pg_ctl start} on the same data directory,
 * port and settings, so the datasource's URL stays valid. It says so once when it finds the server gone and
 * once when it is back; the proxy serves its snapshots meanwhile and the console shows the database down.
 */
public final class PostgresSupervisor implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PostgresSupervisor.class);
    /** The server's own log lines, as zonky prints them. */
    private static final Logger SERVER_LOG = Logger.getLogger("io.zonky.test.db.postgres.embedded.EmbeddedPostgres");

    private final Path dataDir;
    private final int port;
    private final Map<String, String> config;
    private final Path bin;
    private volatile boolean closed;
    private volatile boolean stoppedOnPurpose;
    private Thread thread;

    public PostgresSupervisor(Path dataDir, int port, Map<String, String> config) {
        this.dataDir = dataDir;
        this.port = port;
        this.config = config;
        this.bin = LeftoverPostgres.postmaster(dataDir).flatMap(LeftoverPostgres::binDir).orElse(null);
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        if (bin == null) {
            LOG.warnf("cannot find pg_ctl of the embedded PostgreSQL in %s: it will not be restarted if it stops", dataDir);
            return;
        }
        thread = new Thread(this::watch, "embedded-postgres-supervisor");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        long pid = LeftoverPostgres.pidOf(dataDir);
        while (!closed) {
            sleep(1000);
            if (closed || stoppedOnPurpose) {
                continue;
            }
            long now = LeftoverPostgres.pidOf(dataDir);
            if (now < 0) {
                restart(pid);
                now = LeftoverPostgres.pidOf(dataDir);
            }
            pid = now;
        }
    }

    private void restart(long pid) {
        LOG.warnf("The embedded PostgreSQL (pid %d) in %s has stopped; restarting it on port %d. Meanwhile the proxy "
                + "serves the releases it has, and the console and admin API cannot read or write.", pid, dataDir, port);
        long started = System.nanoTime();
        boolean saidSlow = false;
        while (!closed && !stoppedOnPurpose) {
            try {
                launch();
                LOG.infof("The embedded PostgreSQL is running again (pid %d), %d ms after it was found stopped",
                        LeftoverPostgres.pidOf(dataDir), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                return;
            } catch (IllegalStateException | IOException e) {
                // Typically "pre-existing shared memory block is still in use" until the old server's backends,
                // orphaned by a killed postmaster, notice and exit.
                if (!saidSlow && System.nanoTime() - started > TimeUnit.SECONDS.toNanos(30)) {
                    LOG.warnf("The embedded PostgreSQL has not restarted in 30 s (%s); still trying every second",
                            e.getMessage());
                    saidSlow = true;
                }
            }
            sleep(1000);
        }
    }

    /** {@code pg_ctl start -w}: returns once the server accepts connections, throws if it did not start. */
    private synchronized void launch() throws IOException {
        List<String> options = new ArrayList<>(List.of("-p", String.valueOf(port)));
        config.forEach((k, v) -> options.addAll(List.of("-c", k + "=" + v)));
        Process p = new ProcessBuilder(LeftoverPostgres.pgCtl(bin, "-D", dataDir.toString(),
                "-o", String.join(" ", options), "-w", "-t", "60", "start")).redirectErrorStream(true).start();
        ServerOutput output = new ServerOutput(p);
        try {
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroy();
                throw new IllegalStateException("pg_ctl start did not return in 90 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(output.failure());
        }
        output.started();
    }

    /** Stops the server (fast shutdown) and keeps it stopped until {@link #startServer()}. */
    public void stopServer() {
        stoppedOnPurpose = true;
        if (bin == null || !LeftoverPostgres.pgCtlStop(bin, dataDir)) {
            throw new IllegalStateException("could not stop the PostgreSQL in " + dataDir);
        }
    }

    public void startServer() {
        try {
            launch();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        stoppedOnPurpose = false;
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The output of pg_ctl and then of the server it starts (which keeps the pipe): kept quiet while pg_ctl runs,
     * so failed attempts are summed up in one message, then printed like zonky prints the first server's.
     */
    private static final class ServerOutput {
        private final List<String> early = new ArrayList<>();
        private volatile boolean forwarding;

        ServerOutput(Process p) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (forwarding) {
                            SERVER_LOG.info(line);
                        } else {
                            synchronized (early) {
                                early.add(line);
                            }
                        }
                    }
                } catch (IOException e) {
                    // the server went away
                }
            }, "embedded-postgres-output");
            t.setDaemon(true);
            t.start();
        }

        void started() {
            forwarding = true;
        }

        String failure() {
            synchronized (early) {
                return early.stream().filter(l -> l.contains("FATAL") || l.contains("pg_ctl:")).reduce((a, b) -> a + "; " + b)
                        .orElse("pg_ctl start failed");
            }
        }
    }
}
