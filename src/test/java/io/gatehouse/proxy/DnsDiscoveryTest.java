package io.gatehouse.proxy;

import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.gatehouse.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DnsDiscovery against a real DNS server on 127.0.0.1: first answer, TTL-driven change, failure keeps the set. */
class DnsDiscoveryTest {
    private final NioEventLoopGroup loop = new NioEventLoopGroup(1);
    private TestDnsServer dns;
    private DnsDiscovery discovery;

    @AfterEach
    void close() {
        if (discovery != null) {
            discovery.close();
        }
        if (dns != null) {
            dns.close();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void followsTheTtlAndKeepsTheLastGoodSetWhenTheServerStops() throws Exception {
        dns = new TestDnsServer();
        dns.set("api.gatehouse.test", 1, "127.0.0.2", "127.0.0.3", "::1");
        List<String> changes = new CopyOnWriteArrayList<>();
        // A 1 s query timeout and a 1 s retry instead of 2 s and 5 s: the same steps, sooner. The defaults are
        // what DnsProxyTest and DnsDiscoveryInstanceTest run with.
        discovery = new DnsDiscovery(loop.next(), List.of(dns.address()), changes::add, Duration.ofSeconds(1), 1);

        discovery.watch(Set.of("api.gatehouse.test")).get(5, TimeUnit.SECONDS);
        assertEquals(List.of("0:0:0:0:0:0:0:1", "127.0.0.2", "127.0.0.3"),
                discovery.resolution("api.gatehouse.test").addresses());
        assertFalse(discovery.resolution("api.gatehouse.test").stale());
        assertEquals(List.of("api.gatehouse.test"), changes);

        // The TTL is 1 s: the new answer is picked up without anyone asking.
        dns.set("api.gatehouse.test", 1, "127.0.0.4");
        eventually("re-resolved after the TTL", () -> changes.size() == 2);
        assertEquals(List.of("127.0.0.4"), discovery.resolution("api.gatehouse.test").addresses());

        // The server stops answering: the last good set stays, marked stale with the reason.
        dns.silence();
        int before = dns.queries();
        eventually("a lookup timed out", () -> discovery.failures() > 0);
        assertTrue(dns.queries() > before);
        DnsDiscovery.Resolution r = discovery.resolution("api.gatehouse.test");
        assertEquals(List.of("127.0.0.4"), r.addresses());
        assertTrue(r.stale());
        assertEquals(2, changes.size());

        // And it answers again.
        dns.set("api.gatehouse.test", 1, "127.0.0.5");
        eventually("answers again after the retry", () -> changes.size() == 3);
        assertFalse(discovery.resolution("api.gatehouse.test").stale());
    }

    @Test
    void anUnknownNameIsAFailureWithNoAddressesAndUnwatchedNamesAreForgotten() throws Exception {
        dns = new TestDnsServer();
        dns.set("a.gatehouse.test", 300, "127.0.0.2");
        discovery = new DnsDiscovery(loop.next(), List.of(dns.address()), n -> { });
        discovery.watch(Set.of("a.gatehouse.test", "nope.gatehouse.test")).get(10, TimeUnit.SECONDS);
        assertEquals(List.of("127.0.0.2"), discovery.resolution("a.gatehouse.test").addresses());
        DnsDiscovery.Resolution nope = discovery.resolution("nope.gatehouse.test");
        assertEquals(List.of(), nope.addresses());
        assertTrue(nope.stale());

        discovery.watch(Set.of("nope.gatehouse.test"));
        assertNull(discovery.resolution("a.gatehouse.test"));
    }

    @Test
    void ipLiteralsAreNotNames() {
        assertFalse(DnsDiscovery.isName("10.0.0.1"));
        assertFalse(DnsDiscovery.isName("[::1]"));
        assertTrue(DnsDiscovery.isName("orders.internal"));
        assertTrue(DnsDiscovery.isName("localhost"));
    }
}
