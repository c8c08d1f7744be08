package io.gatehouse.release;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;

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
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;

    public ReleaseListener(DataSource db, ReleaseSync sync) {
        this.db = db;
        this.sync = sync;
        this.thread = new Thread(this::run, "gatehouse-release-listener-" + sync.instanceId());
        this.thread.setDaemon(true);
    }

    public ReleaseListener start() {
        thread.start();
        return this;
    }

    private void run() {
        while (running) {
            try (Connection c = db.getConnection()) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("set application_name = 'gatehouse-listen " + sync.instanceId().replace("'", "") + "'");
                    s.execute("listen " + ReleaseService.CHANNEL);
                }
                sync.sync();
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notes = pg.getNotifications(1000);
                    if (notes != null && notes.length > 0) {
                        sync.sync();
                    }
                }
            } catch (Exception e) {
                if (running) {
                    LOG.warnf("release listener of %s lost its connection (%s); reconnecting", sync.instanceId(),
                            e.getMessage());
                    sleep(500);
                }
            } finally {
                connection = null;
            }
        }
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
