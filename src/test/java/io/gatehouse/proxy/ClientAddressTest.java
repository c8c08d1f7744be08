package io.gatehouse.proxy;

import io.gatehouse.Eventually;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import static io.gatehouse.proxy.ProxyFixture.resource;
import static io.gatehouse.proxy.ProxyFixture.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Behind a load balancer every peer is the balancer: {@code gatehouse.proxy.trusted-proxies} makes the proxy
 * take the client from its X-Forwarded-For for consistent_hash on ip and for the record (access log), and
 * only from a trusted peer. Real backends on 127.0.0.1; the test client plays the balancer.
 */
class ClientAddressTest {

    private static List<Backend> publishHashOnIp(ProxyFixture fx) {
        List<Backend> hosts = List.of(fx.backend("h1"), fx.backend("h2"), fx.backend("h3"));
        Cfg cfg = Cfg.of("consistent_hash").hashClientIp();
        hosts.forEach(h -> cfg.host(h, 1));
        fx.publish("shop", "prod", cfg.build(), resources("cart", resource("GET", "/cart", "exact", "/cart")));
        return hosts;
    }

    @Test
    void behindATrustedBalancerClientsAreHashedApartAndRecordedByTheirOwnAddress() throws Exception {
        ConcurrentLinkedQueue<ProxiedRequest> seen = new ConcurrentLinkedQueue<>();
        try (ProxyFixture fx = new ProxyFixture(seen::add, TrustedProxies.of(List.of("127.0.0.0/8")))) {
            List<Backend> hosts = publishHashOnIp(fx);
            Set<String> used = new HashSet<>();
            for (int c = 1; c <= 30; c++) {
                String client = "203.0.113." + c;
                List<String> names = fx.names("/shop/prod/cart", 4, "X-Forwarded-For", client);
                assertEquals(1, new HashSet<>(names).size(), client + " moved: " + names);
                used.add(names.get(0));
            }
            assertEquals(3, used.size(), "30 clients behind one balancer should spread over all three hosts: " + used);

            // A client that writes its own X-Forwarded-For is still known by what the balancer appended.
            String id = "spoof-" + System.nanoTime();
            fx.get("/shop/prod/cart", "X-Forwarded-For", "6.6.6.6, 203.0.113.9", "X-Request-Id", id);
            ProxiedRequest spoof = await(seen, id);
            assertEquals("203.0.113.9", spoof.clientIp());
            // The backend gets the chain as received plus the peer, as without trusted proxies.
            Backend answered = hosts.stream().filter(h -> spoof.host().equals(h.url())).findFirst().orElseThrow();
            assertEquals("6.6.6.6, 203.0.113.9, 127.0.0.1", answered.last.get().headers().get("X-Forwarded-For"));
        }
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItsXForwardedForSays() throws Exception {
        ConcurrentLinkedQueue<ProxiedRequest> seen = new ConcurrentLinkedQueue<>();
        try (ProxyFixture fx = new ProxyFixture(seen::add, TrustedProxies.of(List.of("10.0.0.0/8")))) {
            publishHashOnIp(fx);
            Set<String> used = new HashSet<>();
            for (int c = 1; c <= 30; c++) {
                used.addAll(fx.names("/shop/prod/cart", 2, "X-Forwarded-For", "203.0.113." + c));
            }
            assertEquals(1, used.size(), "one peer, one host, whatever the header claims: " + used);
            String id = "untrusted-" + System.nanoTime();
            fx.get("/shop/prod/cart", "X-Forwarded-For", "203.0.113.9", "X-Request-Id", id);
            assertEquals("127.0.0.1", await(seen, id).clientIp());
        }
    }

    private static ProxiedRequest await(ConcurrentLinkedQueue<ProxiedRequest> seen, String requestId) {
        return Eventually.value("the record of request " + requestId,
                () -> seen.stream().filter(r -> requestId.equals(r.requestId())).findFirst().orElse(null));
    }
}
