package io.gatehouse;

import io.gatehouse.database.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/** The tests' database: the same embedded PostgreSQL as the application's default, fresh, once per run. */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {
    private static EmbeddedDatabase db;

    @Override
    public synchronized Map<String, String> start() {
        if (db == null) {
            try {
                db = EmbeddedDatabase.start(Files.createTempDirectory("gatehouse-test-pg"), true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Map.of("quarkus.datasource.jdbc.url", db.jdbcUrl(),
                "quarkus.datasource.username", db.username(),
                "quarkus.datasource.password", db.password());
    }

    @Override
    public synchronized void stop() {
        if (db != null) {
            db.close();
            db = null;
        }
    }
}
