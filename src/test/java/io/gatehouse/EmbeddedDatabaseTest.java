package io.gatehouse;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default database keeps its data across a restart: a stopped cluster is reused, not re-initialised. */
class EmbeddedDatabaseTest {

    @Test
    void dataSurvivesARestart() throws Exception {
        Path dir = Files.createTempDirectory("gatehouse-restart");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, false); Connection c = connect(db)) {
            c.createStatement().execute("create table kept (v text)");
            c.createStatement().execute("insert into kept values ('still here')");
        }
        assertTrue(Files.exists(dir.resolve("PG_VERSION")));
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, false); Connection c = connect(db)) {
            ResultSet rs = c.createStatement().executeQuery("select v from kept");
            assertTrue(rs.next());
            assertEquals("still here", rs.getString(1));
        }
    }

    private static Connection connect(EmbeddedDatabase db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
    }
}
