package io.gatehouse;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.nio.file.Path;

/**
 * Starts Gatehouse. When no datasource URL is configured, an embedded PostgreSQL is started first under
 * {@code gatehouse.data-dir} (default {@code ./data}) and handed to Quarkus as system properties: the
 * datasource, Flyway and Hibernate then start exactly as they would against an external server.
 */
@QuarkusMain
public final class GatehouseMain {

    private GatehouseMain() {
    }

    public static void main(String... args) {
        if (setting("quarkus.datasource.jdbc.url", "QUARKUS_DATASOURCE_JDBC_URL") == null) {
            String dir = setting("gatehouse.data-dir", "GATEHOUSE_DATA_DIR");
            Path dataDir = Path.of(dir == null ? "data" : dir, "postgres").toAbsolutePath();
            EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, false);
            Runtime.getRuntime().addShutdownHook(new Thread(db::close, "embedded-postgres-stop"));
            System.setProperty("quarkus.datasource.jdbc.url", db.jdbcUrl());
            System.setProperty("quarkus.datasource.username", db.username());
            System.setProperty("quarkus.datasource.password", db.password());
            System.out.println("Gatehouse: embedded PostgreSQL in " + dataDir + " at " + db.jdbcUrl());
        }
        Quarkus.run(args);
    }

    private static String setting(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? null : value;
    }
}
