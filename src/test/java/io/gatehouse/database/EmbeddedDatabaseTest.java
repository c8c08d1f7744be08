package io.gatehouse.database;

import io.gatehouse.Eventually;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default database keeps its data across a restart (a stopped cluster is reused, not re-initialised), commits
 * durably, and comes back by itself on the same URL when its server is killed under it.
 */
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
            assertEquals("still here", one(c, "select v from kept"));
        }
    }

    /** zonky's defaults are fsync off (its -F) and synchronous_commit off: an acknowledged publish could be lost. */
    @Test
    void theApplicationsClusterCommitsDurably() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(Files.createTempDirectory("gatehouse-durable"), false);
             Connection c = connect(db)) {
            assertEquals("on", one(c, "show fsync"));
            assertEquals("on", one(c, "show synchronous_commit"));
        }
    }

    @Test
    void aKilledServerIsRestartedOnTheSameUrlWithItsData() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(Files.createTempDirectory("gatehouse-supervised"), false)
                .superviseRestarts()) {
            try (Connection c = connect(db)) {
                c.createStatement().execute("create table kept (v text)");
                c.createStatement().execute("insert into kept values ('committed before the crash')");
            }
            long pid = db.serverPid();
            assertTrue(pid > 0);
            assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly(), "SIGKILL to the postmaster");
            assertThrows(SQLException.class, () -> {
                try (Connection c = connect(db)) {
                    one(c, "select 1");
                }
            }, "the server is down right after the kill");
            String value = Eventually.value(() -> "the server back on " + db.jdbcUrl(), Duration.ofSeconds(60),
                    Duration.ofMillis(200), () -> {
                        try (Connection c = connect(db)) {
                            return one(c, "select v from kept");
                        } catch (SQLException e) {
                            return null;
                        }
                    });
            assertEquals("committed before the crash", value);
            assertNotEquals(pid, db.serverPid(), "a new postmaster");
        }
    }

    @Test
    void stopAndStartServerKeepThePort() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(Files.createTempDirectory("gatehouse-stop"), true)) {
            db.stopServer();
            assertEquals(-1, db.serverPid());
            assertThrows(SQLException.class, () -> connect(db).close());
            db.startServer();
            try (Connection c = connect(db)) {
                assertEquals("1", one(c, "select 1"));
            }
        }
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    private static Connection connect(EmbeddedDatabase db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
    }
}
