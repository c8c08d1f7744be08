package io.gatehouse.tenant;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * V7 on a database that already has tenant pools: every tenant a stage, an override or a release names becomes
 * a declared tenant of its gateway. Runs the real migrations on a fresh database of the tests' PostgreSQL,
 * stopping before V7, then adds data, then migrates.
 */
@QuarkusTest
class TenantMigrationTest {

    @Inject
    DataSource db;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;
    @ConfigProperty(name = "quarkus.datasource.username")
    String user;
    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    @Test
    void existingPoolsBecomeDeclaredTenants() throws SQLException {
        String name = "mig" + System.nanoTime();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
        String fresh = url.replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
        Flyway.configure().dataSource(fresh, user, password).locations("classpath:db/migration").target("6").load()
                .migrate();
        try (Connection c = DriverManager.getConnection(fresh, user, password); Statement s = c.createStatement()) {
            s.execute("insert into team (slug, name) values ('t1', 'T')");
            s.execute("insert into gateway (team_id, name) values (1, 'shop'), (1, 'other')");
            s.execute("""
                    insert into stage (gateway_id, name, backend) values
                    (1, 'prod', '{"hosts":[{"url":"http://a","weight":1}],"tenant_pools":{"acme":[{"url":"http://b","weight":1}]}}'),
                    (2, 'prod', '{"hosts":[{"url":"http://a","weight":1}],"tenant_pools":null}')""");
            s.execute("""
                    insert into api_resource (gateway_id, name, method, path, match, path_shape, backend_path, overrides)
                    values (1, 'r', 'GET', '/r', 'exact', '/r', '/r',
                    '{"prod":{"hosts":[{"url":"http://a","weight":1}],"tenant_pools":{"globex":[{"url":"http://c","weight":1}]}}}')""");
            s.execute("""
                    insert into gateway_version (gateway_id, number, title, resources, created_by)
                    values (2, 1, 'v1', '{}', 'x')""");
            s.execute("""
                    insert into release (stage_id, number, version_id, backend, resources, created_by)
                    values (2, 1, 1, '{"hosts":[{"url":"http://a","weight":1}],"tenant_pools":{"initech":[{"url":"http://d","weight":1}]}}', '{}', 'x')""");
        }
        Flyway.configure().dataSource(fresh, user, password).locations("classpath:db/migration").target("7").load()
                .migrate();
        List<String> tenants = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(fresh, user, password); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     select g.name || '/' || t.name from tenant t join gateway g on g.id = t.gateway_id order by 1""")) {
            while (rs.next()) {
                tenants.add(rs.getString(1));
            }
        }
        assertEquals(List.of("other/initech", "shop/acme", "shop/globex"), tenants);
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("drop database " + name);
        }
    }
}
