package io.gatehouse.proxy;

import io.gatehouse.Eventually;
import io.gatehouse.tenant.ApiKeySecrets;
import io.gatehouse.tenant.TenantDirectory;
import io.gatehouse.tenant.TenantDirectory.ApiKey;
import io.gatehouse.tenant.TenantDirectory.RateLimit;
import io.gatehouse.traffic.TenantMetrics;
import io.gatehouse.traffic.TenantUsage;
import io.gatehouse.traffic.TrafficMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.gatehouse.proxy.ProxyFixture.resource;
import static io.gatehouse.proxy.ProxyFixture.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Per-tenant usage (issue 16 item 7) from real requests through the proxy: requests, 5xx, 429 and latency per
 * declared tenant in Prometheus and in the console's window, with a client's made-up tenant under (none), and
 * the stage's series gone once it is unpublished.
 */
class TenantUsageTest {
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TenantMetrics metrics = new TenantMetrics(prometheus);
    private final TenantUsage usage = new TenantUsage();
    private final AtomicInteger recorded = new AtomicInteger();
    private final ProxyFixture fx = new ProxyFixture(r -> {
        metrics.record(r);
        if (r.stageKey() != null) {
            usage.record(r.stageKey(), r.declaredTenant(), r.status(), r.durationNanos());
        }
        recorded.incrementAndGet();
    });
    private final String acmeKey = ApiKeySecrets.newSecret();
    private final String globexKey = ApiKeySecrets.newSecret();

    @AfterEach
    void close() {
        fx.close();
    }

    private Map<String, Double> scrape(String metric) {
        Map<String, Double> out = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^" + metric + "\\{([^}]*)} (\\S+)$").matcher(prometheus.scrape());
        while (m.find()) {
            out.put(m.group(1).replaceAll(",$", ""), Double.parseDouble(m.group(2)));
        }
        return out;
    }

    private void send(int n, String... headers) {
        for (int i = 0; i < n; i++) {
            fx.get("/shop/prod/x", headers);
        }
    }

    @Test
    void requestsErrorsAnd429sPerDeclaredTenant() {
        fx.tenants.apply(new TenantDirectory(1,
                Map.of("shop", Map.of("acme", new RateLimit(5, 5), "globex", RateLimit.NONE)),
                Map.of(ApiKeySecrets.hash(acmeKey), new ApiKey(1, "shop", "acme", Long.MAX_VALUE),
                        ApiKeySecrets.hash(globexKey), new ApiKey(2, "shop", "globex", Long.MAX_VALUE))));
        Backend ok = fx.backend("ok");
        Backend failing = fx.backend("failing").handler(req -> req.response().setStatusCode(500).end("no"));
        fx.publish("shop", "prod", Cfg.of("round_robin").host(ok, 1).tenant("globex", failing).apiKey(null).build(),
                resources("all", resource("ANY", "/", "prefix", null)));
        send(8, "X-Api-Key", acmeKey); // the clock stands still: 5 pass, 3 are limited
        send(2, "X-Api-Key", globexKey); // globex's pool answers 500
        send(3, "X-Tenant-Id", "acme"); // a claim, not a key: no tenant under tenant_from api_key
        send(1, "X-Api-Key", "gk_made-up");
        Eventually.eventually("14 records", () -> recorded.get() == 14);

        Map<String, Double> requests = scrape("gatehouse_proxy_tenant_requests_total");
        assertEquals(Map.of(
                "gateway=\"shop\",stage=\"prod\",status=\"2xx\",tenant=\"acme\"", 5.0,
                "gateway=\"shop\",stage=\"prod\",status=\"4xx\",tenant=\"acme\"", 3.0,
                "gateway=\"shop\",stage=\"prod\",status=\"5xx\",tenant=\"globex\"", 2.0,
                "gateway=\"shop\",stage=\"prod\",status=\"2xx\",tenant=\"(none)\"", 4.0), requests);
        assertEquals(Map.of("gateway=\"shop\",stage=\"prod\",tenant=\"acme\"", 3.0),
                scrape("gatehouse_proxy_tenant_rate_limited_total"));
        assertEquals(5.0 + 3.0, scrape("gatehouse_proxy_tenant_request_duration_seconds_count")
                .get("gateway=\"shop\",stage=\"prod\",tenant=\"acme\""));

        Map<String, TenantUsage.Usage> window = usage.read("shop/prod");
        assertEquals(java.util.Set.of("acme", "globex", TrafficMetrics.NONE), window.keySet());
        assertEquals(8, window.get("acme").requests());
        assertEquals(3, window.get("acme").rateLimited());
        assertEquals(0, window.get("acme").errors());
        assertEquals(2, window.get("globex").errors());
        assertEquals(4, window.get(TrafficMetrics.NONE).requests());
        assertFalse(Double.isNaN(window.get("acme").p99Millis()));

        // Unpublished: its per-tenant series go.
        fx.store.remove("shop", "prod");
        metrics.published(fx.store);
        assertEquals(Map.of(), scrape("gatehouse_proxy_tenant_requests_total"));
    }

    @Test
    void underTenantFromHeaderOnlyDeclaredNamesAreLabels() {
        fx.tenants.apply(new TenantDirectory(1, Map.of("shop", Map.of("acme", RateLimit.NONE)), Map.of()));
        Backend ok = fx.backend("ok");
        fx.publish("shop", "prod", Cfg.of("round_robin").host(ok, 1).build(),
                resources("all", resource("ANY", "/", "prefix", null)));
        send(2, "X-Tenant-Id", "acme");
        for (int i = 0; i < 5; i++) {
            fx.get("/shop/prod/x", "X-Tenant-Id", "made-up-" + i); // routed as a hint, never a label
        }
        Eventually.eventually("7 records", () -> recorded.get() == 7);
        assertEquals(Map.of("gateway=\"shop\",stage=\"prod\",status=\"2xx\",tenant=\"acme\"", 2.0,
                        "gateway=\"shop\",stage=\"prod\",status=\"2xx\",tenant=\"(none)\"", 5.0),
                scrape("gatehouse_proxy_tenant_requests_total"));
    }
}
