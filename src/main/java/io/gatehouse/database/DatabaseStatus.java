package io.gatehouse.database;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether the database answers, probed in the background every {@value #EVERY_MS} ms with {@code select 1}
 * through the pool, so that what shows it (the {@code database} health group, the metric
 * {@code gatehouse_database_up}, the console) reads a value and never waits on the database: a probe without an
 * answer after {@value #TIMEOUT_MS} ms counts as down, whether the server refuses, hangs or is stopped.
 * Readiness does not include it: a proxy serves its snapshots without the database (see docs/operations.md).
 */
@ApplicationScoped
public class DatabaseStatus {
    private static final Logger LOG = Logger.getLogger(DatabaseStatus.class);
    static final long EVERY_MS = 2000;
    static final long TIMEOUT_MS = 3000;

    /** {@code since}: when it was last found to change; {@code reason}: why it is down, null while up. */
    public record State(boolean up, Instant since, String reason) {
    }

    private final AgroalDataSource db;
    private final MeterRegistry registry;
    private volatile State state = new State(true, Instant.now(), null);
    /** System.nanoTime() when the probe in flight started; 0 when none is. */
    private volatile long probeStarted;
    private ScheduledExecutorService probes;

    public DatabaseStatus(AgroalDataSource db, MeterRegistry registry) {
        this.db = db;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        Gauge.builder("gatehouse.database.up", this, s -> s.state().up() ? 1 : 0)
                .description("1 while the database answers this instance's probe (every 2 s, 3 s timeout), 0 while not")
                .register(registry);
        probes = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gatehouse-database-probe");
            t.setDaemon(true);
            return t;
        });
        probes.scheduleWithFixedDelay(this::probe, EVERY_MS, EVERY_MS, TimeUnit.MILLISECONDS);
    }

    /** Before the embedded database stops (EmbeddedShutdown observes last), so a shutdown is not an outage. */
    void stop(@Observes ShutdownEvent event) {
        if (probes != null) {
            probes.shutdownNow();
        }
    }

    /** The database's state now; a probe that has hung past the timeout makes it down at once. */
    public State state() {
        long started = probeStarted;
        if (started != 0 && System.nanoTime() - started > TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS)) {
            record(false, "no answer within " + TIMEOUT_MS / 1000 + " s");
        }
        return state;
    }

    private void probe() {
        probeStarted = System.nanoTime();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout((int) (TIMEOUT_MS / 1000));
            s.execute("select 1");
            probeStarted = 0;
            record(true, null);
        } catch (SQLException | RuntimeException e) {
            probeStarted = 0;
            record(false, reason(e));
        }
    }

    private synchronized void record(boolean up, String reason) {
        State before = state;
        if (before.up() == up) {
            if (!up && reason != null && !reason.equals(before.reason()) && !reason.startsWith("no answer")) {
                state = new State(false, before.since(), reason);
            }
            return;
        }
        state = new State(up, Instant.now(), reason);
        if (up) {
            // Connections opened before the outage may point at a server that has since restarted: close the idle
            // ones now and the borrowed ones when they come back, so no request gets a dead one.
            db.flush(AgroalDataSource.FlushMode.ALL);
            LOG.infof("The database answers again (it was down since %s)", before.since());
        } else {
            LOG.warnf("The database does not answer: %s. The proxy keeps serving the releases it has; the console, the "
                    + "admin API and publishing need the database and answer 503 until it is back", reason);
        }
    }

    static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() != null ? root.getMessage() : e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    /**
     * Whether {@code e} is the database being unreachable rather than a bug: a JDBC connection failure
     * (SQLState class 08, a server shutting down or starting, 57P01-57P03) or the pool giving up waiting for one.
     */
    public boolean isOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                String s = sql.getSQLState();
                if (s != null && (s.startsWith("08") || s.startsWith("57P0"))) {
                    return true;
                }
                if (sql.getMessage() != null && sql.getMessage().contains("Acquisition timeout")) {
                    return true;
                }
                if (!state().up()) {
                    return true;
                }
            }
        }
        return false;
    }
}
