package io.gatehouse;

import io.gatehouse.database.EmbeddedShutdown;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.nio.file.Path;

/**
 * Starts Gatehouse. When no datasource URL is configured (in any of Quarkus's config sources, see
 * {@link StartupSettings}), an embedded PostgreSQL is started first under {@code gatehouse.data-dir} (default
 * {@code ./data}) and handed to Quarkus as system properties: the datasource, Flyway and Hibernate then start
 * exactly as they would against an external server. It is restarted if it dies and stopped after the
 * application ({@link EmbeddedShutdown}).
 */
@QuarkusMain
public final class GatehouseMain {
    /**
     * Until Quarkus configures logging every level is kept and, if start-up fails, printed: reading the settings
     * early would add SmallRye Config's DEBUG lines. Held so the JUL logger (weakly referenced) keeps its level.
     */
    private static final java.util.logging.Logger CONFIG_LOG = java.util.logging.Logger.getLogger("io.smallrye.config");

    private GatehouseMain() {
    }

    public static void main(String... args) {
        CONFIG_LOG.setLevel(java.util.logging.Level.INFO);
        StartupSettings settings = StartupSettings.read();
        if (settings.jdbcUrl().isEmpty()) {
            Path dataDir = settings.dataDir().resolve("postgres").toAbsolutePath();
            EmbeddedDatabase db;
            try {
                db = EmbeddedDatabase.start(dataDir, false).superviseRestarts();
            } catch (EmbeddedDatabase.InUse e) {
                System.err.println("Gatehouse: " + e.getMessage());
                System.exit(1);
                return;
            }
            EmbeddedShutdown.hold(db);
            System.setProperty("quarkus.datasource.jdbc.url", db.jdbcUrl());
            System.setProperty("quarkus.datasource.username", db.username());
            System.setProperty("quarkus.datasource.password", db.password());
            System.out.println("Gatehouse: embedded PostgreSQL in " + dataDir + " at " + db.jdbcUrl());
        }
        Quarkus.run(args);
    }
}
