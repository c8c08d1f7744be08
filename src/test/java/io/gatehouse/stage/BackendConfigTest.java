package io.gatehouse.stage;

import io.gatehouse.common.FieldError;
import io.gatehouse.common.Violations;
import io.gatehouse.stage.BackendHost;
import io.gatehouse.stage.HashSpec;
import io.gatehouse.stage.HealthCheck;
import io.gatehouse.stage.Timeouts;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every rule of a backend config, each with a bad value and the exact error it gives. */
class BackendConfigTest {
    private static final List<BackendHost> ONE = List.of(new BackendHost("http://10.0.0.1:8000", 5));

    private static BackendConfig config(String type, List<BackendHost> hosts) {
        return new BackendConfig(type, hosts, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static List<FieldError> errors(BackendConfig c) {
        Violations v = new Violations();
        c.validate("backend", v);
        return v.errors();
    }

    private static void assertOnly(BackendConfig c, String field, String message) {
        assertEquals(List.of(new FieldError(field, message)), errors(c));
    }

    @Test
    void aMinimalConfigIsValidAndTakesTheDocumentedDefaults() {
        assertTrue(errors(config(null, ONE)).isEmpty());
        BackendConfig n = config(null, List.of(new BackendHost("http://a:1", null))).normalized();
        assertEquals("weighted_round_robin", n.type());
        assertEquals(1, n.hosts().get(0).weight());
        assertEquals("X-Tenant-Id", n.tenantHeader());
        assertEquals(Map.of(), n.tenantPools());
        assertEquals("fail", n.tenantFallback());
        assertEquals(new Timeouts(2000, 30000), n.timeouts());
        assertEquals(1, n.retries());
        assertEquals("pass", n.passHost());
        assertEquals(null, n.healthCheck());
    }

    @Test
    void encodedSlashesIsRejectOrKeepAndOnlyKeepIsWrittenOut() {
        BackendConfig keep = new BackendConfig(null, ONE, null, null, null, null, null, null, null, null, null, null, "keep", null, null, null, null, null, null, null);
        assertTrue(errors(keep).isEmpty());
        assertTrue(keep.keepsEncodedSlashes());
        assertEquals("keep", keep.normalized().encodedSlashes());
        BackendConfig reject = new BackendConfig(null, ONE, null, null, null, null, null, null, null, null, null, null,
                "reject", null, null, null, null, null, null, null);
        assertTrue(errors(reject).isEmpty());
        assertEquals(config(null, ONE).normalized(), reject.normalized(), "reject is the default, stored as absent");
        assertTrue(!reject.keepsEncodedSlashes() && !config(null, ONE).keepsEncodedSlashes());
        assertOnly(new BackendConfig(null, ONE, null, null, null, null, null, null, null, null, null, null, "decode", null, null, null, null, null, null, null),
                "backend.encoded_slashes", "must be one of reject, keep");
    }

    @Test
    void typeMustBeKnown() {
        assertOnly(config("ewma", ONE), "backend.type",
                "must be one of round_robin, weighted_round_robin, least_conn, consistent_hash, least_response_time, random");
    }

    @Test
    void atLeastOneHost() {
        assertOnly(config(null, List.of()), "backend.hosts", "must have at least one host");
        assertOnly(config(null, null), "backend.hosts", "must have at least one host");
    }

    @Test
    void atMostAThousandHosts() {
        List<BackendHost> many = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            many.add(new BackendHost("http://10.0." + (i / 250) + "." + (i % 250 + 1), 1));
        }
        assertOnly(config(null, many), "backend.hosts", "must have at most 1000 hosts");
        assertTrue(errors(config(null, many.subList(0, 1000))).isEmpty());
    }

    @Test
    void slowStartFromZeroToTenMinutesAndOnlyWrittenOutWhenOn() {
        BackendConfig on = new BackendConfig(null, ONE, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, 30_000);
        assertTrue(errors(on).isEmpty());
        assertEquals(30_000, on.normalized().slowStartMs());
        assertEquals(30_000, on.slowStart());
        BackendConfig zero = new BackendConfig(null, ONE, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, 0);
        assertEquals(config(null, ONE).normalized(), zero.normalized(), "0 is the default, stored as absent");
        for (int bad : new int[] {-1, 600_001}) {
            assertOnly(new BackendConfig(null, ONE, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, bad), "backend.slow_start_ms", "must be an integer from 0 to 600000");
        }
    }

    @Test
    void priorityFromMinusToPlusAThousandAndOnlyWrittenOutWhenNotZero() {
        assertTrue(errors(config(null, List.of(new BackendHost("http://a", 1, -1000), new BackendHost("http://b", 1, 1000))))
                .isEmpty());
        assertOnly(config(null, List.of(new BackendHost("http://a", 1, 1001))), "backend.hosts[0].priority",
                "must be an integer from -1000 to 1000");
        assertOnly(config(null, List.of(new BackendHost("http://a", 1), new BackendHost("http://b", 1, -1001))),
                "backend.hosts[1].priority", "must be an integer from -1000 to 1000");
        assertEquals(config(null, List.of(new BackendHost("http://a", 1))).normalized(),
                config(null, List.of(new BackendHost("http://a", 1, 0))).normalized(), "0 is the default, stored as absent");
        assertEquals(5, config(null, List.of(new BackendHost("http://a", 1, 5))).normalized().hosts().get(0).priority());
    }

    @Test
    void weightFromOneToTenThousand() {
        assertOnly(config(null, List.of(new BackendHost("http://a", 0))), "backend.hosts[0].weight",
                "must be an integer from 1 to 10000");
        assertOnly(config(null, List.of(new BackendHost("http://a", 10001))), "backend.hosts[0].weight",
                "must be an integer from 1 to 10000");
        assertTrue(errors(config(null, List.of(new BackendHost("http://a", 10000)))).isEmpty());
    }

    @Test
    void hostUrlProblemsAreNamedByIndex() {
        assertOnly(config(null, List.of(new BackendHost("http://a", 1), new BackendHost("http://b/path", 1))),
                "backend.hosts[1].url", "must not contain a path (only scheme://host[:port])");
    }

    @Test
    void duplicateHostsInOnePool() {
        assertOnly(config(null, List.of(new BackendHost("http://a:80", 1), new BackendHost("HTTP://A", 2))),
                "backend.hosts[1].url", "duplicates another host of the same pool");
    }

    @Test
    void tenantNamesAndPools() {
        BackendConfig bad = new BackendConfig(null, ONE, null,
                Map.of("acme corp", ONE, "x".repeat(65), ONE, "ok", List.of()), null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        assertEquals(List.of(
                new FieldError("backend.tenant_pools.acme corp", io.gatehouse.common.NameRules.TENANT),
                new FieldError("backend.tenant_pools.ok", "must have at least one host"),
                new FieldError("backend.tenant_pools." + "x".repeat(65), io.gatehouse.common.NameRules.TENANT)),
                errors(bad));
        BackendConfig good = new BackendConfig(null, ONE, "X-Org", Map.of("acme.eu-1_A", ONE), "default",
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        assertTrue(errors(good).isEmpty());
    }

    @Test
    void tenantHeaderAndFallback() {
        assertOnly(new BackendConfig(null, ONE, "X Tenant", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null),
                "backend.tenant_header", "must be a valid HTTP header name");
        assertOnly(new BackendConfig(null, ONE, null, null, "open", null, null, null, null, null, null, null, null, null, null, null, null, null, null, null),
                "backend.tenant_fallback", "must be one of fail, default");
    }

    @Test
    void hashIsRequiredAndConsistentForConsistentHash() {
        assertOnly(config("consistent_hash", ONE), "backend.hash", "is required when type is consistent_hash");
        assertOnly(hash(new HashSpec("body", null, null)), "backend.hash.on", "must be one of header, cookie, path, ip");
        assertOnly(hash(new HashSpec("header", null, null)), "backend.hash.name",
                "is required for hash on header and must be a valid header name");
        assertOnly(hash(new HashSpec("cookie", "a b", null)), "backend.hash.name",
                "is required for hash on cookie and must be a valid cookie name");
        assertOnly(hash(new HashSpec("ip", "X-User", null)), "backend.hash.name",
                "is only allowed for hash on header or cookie");
        assertOnly(hash(new HashSpec("path", null, 0)), "backend.hash.replicas", "must be an integer from 1 to 1000");
        assertTrue(errors(hash(new HashSpec("header", "X-User-Id", 150))).isEmpty());
        assertEquals(150, hash(new HashSpec("ip", null, null)).normalized().hash().replicas());
        assertOnly(new BackendConfig("round_robin", ONE, null, null, null, new HashSpec("ip", null, null), null, null,
                null, null, null, null, null, null, null, null, null, null, null, null), "backend.hash", "is only allowed when type is consistent_hash");
    }

    private static BackendConfig hash(HashSpec spec) {
        return new BackendConfig("consistent_hash", ONE, null, null, null, spec, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void timeoutsAndRetriesArePositiveAndBounded() {
        assertEquals(List.of(new FieldError("backend.timeouts.connect_ms", "must be an integer from 1 to 60000"),
                        new FieldError("backend.timeouts.read_ms", "must be an integer from 1 to 3600000")),
                errors(new BackendConfig(null, ONE, null, null, null, null, new Timeouts(0, 3_600_001), null, null,
                        null, null, null, null, null, null, null, null, null, null, null)));
        assertOnly(new BackendConfig(null, ONE, null, null, null, null, null, -1, null, null, null, null, null, null, null, null, null, null, null, null),
                "backend.retries", "must be an integer from 0 to 10");
        assertOnly(new BackendConfig(null, ONE, null, null, null, null, null, 11, null, null, null, null, null, null, null, null, null, null, null, null),
                "backend.retries", "must be an integer from 0 to 10");
    }

    @Test
    void passHostAndUpstreamHost() {
        assertOnly(pass("keep", null), "backend.pass_host", "must be one of pass, node, rewrite");
        assertOnly(pass("rewrite", null), "backend.upstream_host", "is required when pass_host is rewrite");
        assertOnly(pass("rewrite", "api.example.com/x"), "backend.upstream_host",
                "must be host[:port]: must not contain a path (only scheme://host[:port])");
        assertOnly(pass("node", "api.example.com"), "backend.upstream_host",
                "is only allowed when pass_host is rewrite");
        assertTrue(errors(pass("rewrite", "api.example.com:8443")).isEmpty());
    }

    private static BackendConfig pass(String mode, String upstreamHost) {
        return new BackendConfig(null, ONE, null, null, null, null, null, null, mode, upstreamHost, null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void healthCheckThresholdsAndTimes() {
        assertEquals(List.of(
                        new FieldError("backend.health_check.path", "must start with / and contain no spaces (at most 1024 characters)"),
                        new FieldError("backend.health_check.interval_ms", "must be an integer from 100 to 3600000"),
                        new FieldError("backend.health_check.timeout_ms", "must be an integer from 1 to 60000"),
                        new FieldError("backend.health_check.healthy_threshold", "must be an integer from 1 to 100"),
                        new FieldError("backend.health_check.unhealthy_threshold", "must be an integer from 1 to 100")),
                errors(check(new HealthCheck("health", 99, 0, 0, 101))));
        assertOnly(check(new HealthCheck("/health", 1000, 2000, 2, 3)), "backend.health_check.timeout_ms",
                "must not be longer than interval_ms");
        assertEquals(new HealthCheck("/health", 2000, 1000, 2, 3),
                check(new HealthCheck(null, null, null, null, null)).normalized().healthCheck());
    }

    private static BackendConfig check(HealthCheck hc) {
        return new BackendConfig(null, ONE, null, null, null, null, null, null, null, null, hc, null, null, null, null, null, null, null, null, null);
    }

    private static BackendConfig withHealth(Integer panic, PassiveHealth passive) {
        return new BackendConfig(null, ONE, null, null, null, null, null, null, null, null, null, null, null, panic, passive, null, null, null, null, null);
    }

    @Test
    void panicThresholdIsAPercentAndPassiveStatusesAre5xx() {
        assertOnly(withHealth(101, null), "backend.panic_threshold", "must be an integer from 0 to 100");
        assertOnly(withHealth(-1, null), "backend.panic_threshold", "must be an integer from 0 to 100");
        assertTrue(errors(withHealth(0, null)).isEmpty());
        assertOnly(withHealth(null, new PassiveHealth(java.util.Arrays.asList(502, 404), 3)),
                "backend.passive_health.http_statuses[1]", "must be an HTTP status from 500 to 599");
        assertOnly(withHealth(null, new PassiveHealth(List.of(503), 0)),
                "backend.passive_health.consecutive_failures", "must be an integer from 1 to 100");
    }

    @Test
    void defaultPanicAndPassiveHealthAreLeftOutSoOldConfigsStayEqual() {
        BackendConfig old = withHealth(null, null).normalized();
        assertEquals(old, withHealth(50, new PassiveHealth(List.of(), 3)).normalized());
        assertEquals(50, old.panicPercent());
        assertEquals(new PassiveHealth(List.of(), 3), old.passive());
        assertEquals(null, old.panicThreshold());
        assertEquals(null, old.passiveHealth());
        BackendConfig listed = withHealth(0, new PassiveHealth(List.of(504, 502, 503, 502), null))
                .normalized();
        assertEquals(0, listed.panicThreshold());
        assertEquals(new PassiveHealth(List.of(502, 503, 504), 3), listed.passiveHealth());
    }
}
