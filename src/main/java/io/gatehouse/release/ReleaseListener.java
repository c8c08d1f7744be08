package io.gatehouse.release;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionFactoryConfiguration;
import io.agroal.api.security.SimplePassword;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Wakes {@link ReleaseSync} when a release is published: LISTEN on one dedicated connection, on its own
 * thread (pgjdbc's getNotifications blocks until something arrives or the timeout passes). On any
 * connection error it reconnects after a short pause and syncs once, in case it missed something
 * while down; the poll covers the rest.
 */
public final class ReleaseListener implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReleaseListener.class);

    private final DataSource db;
    private final ReleaseSync sync;
    private final Wakeable[] others;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;

    /** Something else brought up to date on every wake-up of the channel (tenants and keys: TenantSync). */
    public static final String TENANT_PREFIX = "tenants/";

    public interface Wakeable {
        void sync() throws Exception;
    }

    public ReleaseListener(DataSource db, ReleaseSync sync, Wakeable... others) {
        this.db = db;
        this.sync = sync;
        this.others = others.clone();
        this.thread = new Thread(this::run, "gatehouse-release-listener-" + sync.instanceId());
        this.thread.setDaemon(true);
    }

    public ReleaseListener start() {
        thread.start();
        return this;
    }

    private void run() {
        long lostAt = 0; // System.nanoTime() when the connection was lost; 0 while connected
        while (running) {
            try (Connection c = dedicatedConnection()) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("set application_name = 'gatehouse-listen " + sync.instanceId().replace("'", "") + "'");
                    s.execute("listen " + ReleaseService.CHANNEL);
                }
                if (lostAt != 0) {
                    LOG.infof("release listener of %s reconnected after %d s", sync.instanceId(),
                            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - lostAt));
                    lostAt = 0;
                }
                syncAll();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notes = pg.getNotifications(1000);
                    if (notes != null && notes.length > 0) {
                        wake(notes);
                    }
                }
            } catch (Exception e) {
                if (running) {
                    // Once per outage: while the database stays down each retry would say the same every 500 ms.
                    if (lostAt == 0) {
                        LOG.warnf("release listener of %s lost its connection (%s); reconnecting", sync.instanceId(),
                                e.getMessage());
                        lostAt = System.nanoTime();
                    } else {
                        LOG.debugf("release listener of %s still cannot reconnect: %s", sync.instanceId(), e.getMessage());
                    }
                    sleep(500);
                }
            } finally {
                connection = null;
            }
        }
    }

    /**
     * A tenant or key change (payload {@code tenants/...}, see TenantService) wakes only the others, so a revoked
     * key is not queued behind a release sync; anything else wakes the release sync, then the others.
     */
    private void wake(PGNotification[] notes) throws Exception {
        boolean releases = false;
        for (PGNotification n : notes) {
            if (n.getParameter() == null || !n.getParameter().startsWith(TENANT_PREFIX)) {
                releases = true;
            }
        }
        if (releases) {
            syncAll();
        } else {
            for (Wakeable other : others) {
                other.sync();
            }
        }
    }

    private void syncAll() throws Exception {
        sync.sync();
        for (Wakeable other : others) {
            other.sync();
        }
    }

    /**
     * A connection of its own, outside the pool: a LISTEN connection lives for hours and keeps its
     * application_name and LISTEN, and when it breaks (a restarted server, a terminated backend) a pooled one
     * would go back to the pool broken and fail the next request that borrows it.
     */
    private Connection dedicatedConnection() throws SQLException {
        if (db instanceof AgroalDataSource agroal) {
            AgroalConnectionFactoryConfiguration f = agroal.getConfiguration().connectionPoolConfiguration()
                    .connectionFactoryConfiguration();
            Properties props = new Properties();
            props.putAll(f.jdbcProperties());
            if (f.principal() != null) {
                props.setProperty("user", f.principal().getName());
            }
            for (Object credential : f.credentials()) {
                if (credential instanceof SimplePassword password) {
                    props.setProperty("password", password.getWord());
                }
            }
            return DriverManager.getConnection(f.jdbcUrl(), props);
        }
        return db.getConnection();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
