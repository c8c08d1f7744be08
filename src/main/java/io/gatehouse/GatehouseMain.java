package io.gatehouse;

import io.gatehouse.database.EmbeddedDatabase;
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

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(GatehouseMain.class);
    static final String SESSION_KEY = "quarkus.http.auth.session.encryption-key";

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
            LOG.infof("Data directory: %s (embedded PostgreSQL on localhost:%d)", dataDir, db.port());
            if (!settings.isSet(SESSION_KEY)) {
                // A laptop's single instance: a key for this run, made here rather than by Quarkus, which prints
                // the key it makes in a WARN line. Sign-ins end at a restart, as they would with Quarkus's.
                System.setProperty(SESSION_KEY, randomKey());
            }
        } else {
            // The URL only: a JDBC URL may carry a password in its query (?password=...).
            LOG.infof("Database: %s (external PostgreSQL, no data directory)", settings.jdbcUrl().get().replaceAll("\\?.*", ""));
        }
        Quarkus.run(args);
    }

    /** 256 random bits, Base64: what {@code openssl rand -base64 32} gives. */
    private static String randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }
}
