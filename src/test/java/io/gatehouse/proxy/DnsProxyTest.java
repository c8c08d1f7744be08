package io.gatehouse.proxy;

import io.gatehouse.stage.BackendHost;
import io.gatehouse.stage.HealthCheck;
import io.gatehouse.balance.AdminState;
import io.gatehouse.balance.HostState;
import io.gatehouse.stage.BackendConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.gatehouse.Eventually.eventually;
import static io.gatehouse.proxy.ProxyFixture.anyPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DNS discovery through the proxy port (issue 19, item 4): a host named by a domain that a real DNS server on
 * 127.0.0.1 answers for is one member per address, each a real backend on its own loopback address; the set
 * follows the TTL without a release, survives the server going silent, and the backend sees the name.
 */
class DnsProxyTest {
    private static final String NAME = "api.gatehouse.test";

    private TestDnsServer dns;
    private ProxyFixture fx;
    private Backend a;
    private Backend b;
    private Backend c;
    private int port;

    @BeforeEach
    void start() throws Exception {
        dns = new TestDnsServer();
        fx = new ProxyFixture();
        fx.discover(dns.address());
        a = fx.backend("a", "127.0.0.2", 0);
        port = a.port();
        b = fx.backend("b", "127.0.0.3", port);
        c = fx.backend("c", "127.0.0.4", port);
    }

    @AfterEach
    void stop() {
        fx.close();
        dns.close();
    }

    private String url() {
        return "http://" + NAME + ":" + port;
    }

    private BackendConfig config(String passHost, HealthCheck probe) {
        return new BackendConfig("round_robin", List.of(new BackendHost(url(), 3)), null, null, null,
                null, null, 0, passHost, null, probe, null, null, null, null, null, null, null, null, null, null);
    }

    /** How many of {@code n} requests each backend answered, as "a=2 b=2" (other answers by status). */
    private String spread(int n) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (String name : fx.names("/shop/prod/x", n)) {
            counts.merge(name, 1L, Long::sum);
        }
        StringBuilder s = new StringBuilder();
        counts.forEach((k, v) -> s.append(s.isEmpty() ? "" : " ").append(k).append('=').append(v));
        return s.toString();
    }

    @Test
    void addressesFollowTheTtlWithoutAReleaseAndSurviveASilentServer() {
        dns.set(NAME, 1, "127.0.0.2", "127.0.0.3");
        StageSnapshot published = fx.publish("shop", "prod", config("node", null), anyPath());

        // Every address is a member with the host's weight: round robin alternates over the two.
        assertEquals("a=2 b=2", spread(4));
        // The backend sees the name, not the address it was reached on (pass_host node).
        assertEquals(NAME + ":" + port, a.last.get().headers().get("Host"));

        // The TTL is 1 s: the new set is served without a release.
        dns.set(NAME, 1, "127.0.0.3", "127.0.0.4");
        eventually("127.0.0.4 joined and 127.0.0.2 left", () -> spread(2).equals("b=1 c=1"));
        assertEquals("b=2 c=2", spread(4));
        assertSame(published, fx.store.get("shop", "prod"), "no new snapshot: the pools changed in place");
        assertEquals(NAME + ":" + port, c.last.get().headers().get("Host"));
        // The address that left is forgotten (one that comes back later starts afresh, slow start included).
        assertEquals(null, fx.registry("shop", "prod").find(url() + "#127.0.0.2"));

        // The server stops answering: the last good set keeps serving, marked stale.
        dns.silence();
        long before = fx.discovery.failures();
        eventually("a lookup failed", () -> fx.discovery.failures() > before);
        DnsDiscovery.Resolution r = fx.discovery.resolutions().get(NAME);
        assertTrue(r.stale());
        assertEquals(List.of("127.0.0.3", "127.0.0.4"), r.addresses());
        assertTrue(r.failedAtMillis() > 0);
        assertEquals(1, fx.discovery.staleNames());
        assertEquals("b=2 c=2", spread(4));
    }

    @Test
    void aNameThatNeverResolvedIsA503SayingWhyUntilItAnswers() {
        // No record: NXDOMAIN. The host has no member; the pool answers the usual 503, naming the host and why.
        fx.publish("shop", "prod", config("pass", null), anyPath());
        ProxyFixture.Response r = fx.get("/shop/prod/x");
        assertEquals(503, r.status());
        assertTrue(r.body().contains("no healthy host (" + url() + " has no address: DNS lookup of " + NAME
                + " failed ("), r.body());

        dns.set(NAME, 1, "127.0.0.2");
        eventually("served once the name answers (retried every second by the fixture)", Duration.ofSeconds(20),
                () -> fx.get("/shop/prod/x").body().equals("a"));
    }

    @Test
    void aStateSetOnTheNameCoversEveryAddress() {
        dns.set(NAME, 300, "127.0.0.2", "127.0.0.3");
        fx.publish("shop", "prod", config("pass", null), anyPath());
        assertEquals("a=1 b=1", spread(2));

        fx.registries.admin(Map.of("shop", Map.of(url(), AdminState.DRAINING)));
        ProxyFixture.Response r = fx.get("/shop/prod/x");
        assertEquals(503, r.status());
        assertTrue(r.body().contains("every host of the default hosts is draining or disabled"), r.body());

        fx.registries.admin(Map.of());
        assertEquals("a=1 b=1", spread(2));
    }

    @Test
    void healthIsPerAddress() {
        dns.set(NAME, 300, "127.0.0.2", "127.0.0.3");
        // A generous probe timeout: one slow answer on a loaded machine must not take an address out.
        fx.publish("shop", "prod", config("pass", new HealthCheck("/health", 1000, 1000, 1, 1)),
                anyPath());
        eventually("both addresses probed and up", () -> a.healthChecks.get() > 0 && b.healthChecks.get() > 0
                && fx.up("shop", "prod", url() + "#127.0.0.2") && fx.up("shop", "prod", url() + "#127.0.0.3"));
        assertEquals("a=1 b=1", spread(2));

        b.stop();
        eventually("127.0.0.3 probed down", () -> !fx.up("shop", "prod", url() + "#127.0.0.3"));
        assertTrue(fx.up("shop", "prod", url() + "#127.0.0.2"));
        assertEquals("a=4", spread(4));
        HostState other = fx.registry("shop", "prod").find(url() + "#127.0.0.2");
        assertNotNull(other);
        assertFalse(other.marks().consecutiveFailures() > 0);
    }
}
