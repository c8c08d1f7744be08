package io.gatehouse;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules hold in the database too, for anything that writes around the services. */
@QuarkusTest
class SchemaConstraintsTest {
    @Inject
    DataSource db;
    private long gatewayId;

    @BeforeEach
    void gateway() throws SQLException {
        String gw = Fixtures.gateway(Fixtures.team());
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            var rs = s.executeQuery("select id from gateway where name = '" + gw + "'");
            rs.next();
            gatewayId = rs.getLong(1);
        }
    }

    private String violation(String sql) {
        SQLException e = assertThrows(SQLException.class, () -> {
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                s.execute(sql);
            }
        });
        return e.getMessage();
    }

    private String stage(String name, String backend) {
        return "insert into stage (gateway_id, name, backend) values (" + gatewayId + ", '" + name + "', '" + backend
                + "')";
    }

    @Test
    void weightsOutsideOneToTenThousandAreRefused() {
        assertTrue(violation(stage("a", "{\"hosts\": [{\"url\": \"http://a\", \"weight\": 0}]}"))
                .contains("stage_backend_check"));
        assertTrue(violation(stage("b", "{\"hosts\": [{\"url\": \"http://a\", \"weight\": 10001}]}"))
                .contains("stage_backend_check"));
        assertTrue(violation(stage("c", "{\"hosts\": [{\"url\": \"http://a\", \"weight\": 1.5}]}"))
                .contains("stage_backend_check"));
        assertTrue(violation(stage("d", "{\"hosts\": []}")).contains("stage_backend_check"));
        assertTrue(violation(stage("e", "{\"hosts\": [{\"url\": \"http://a\", \"weight\": 1}], "
                + "\"tenant_pools\": {\"bad name\": [{\"url\": \"http://b\", \"weight\": 1}]}}")).contains("stage_backend_check"));
    }

    @Test
    void namesAreUniqueAndWellFormed() throws SQLException {
        String ok = "{\"hosts\": [{\"url\": \"http://a\", \"weight\": 1}]}";
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            assertEquals(1, s.executeUpdate(stage("prod", ok)));
        }
        assertTrue(violation(stage("prod", ok)).contains("stage_gateway_id_name_key"));
        assertTrue(violation(stage("Prod", ok)).contains("stage_name_check"));
        assertTrue(violation("insert into gateway (team_id, name) select team_id, 'UPPER' from gateway where id = "
                + gatewayId).contains("gateway_name_check"));
        assertTrue(violation("insert into stage (gateway_id, name, backend) values (-1, 'x', '" + ok + "')")
                .contains("stage_gateway_id_fkey"));
    }

    @Test
    void versionsAndReleasesAreImmutable() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("insert into gateway_version (gateway_id, number, title, resources, created_by) values ("
                    + gatewayId + ", 1, 'v1', '{}', 'admin')");
        }
        assertTrue(violation("update gateway_version set title = 'changed' where gateway_id = " + gatewayId)
                .contains("immutable"));
    }
}
