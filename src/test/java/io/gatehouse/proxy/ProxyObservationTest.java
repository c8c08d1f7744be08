package io.gatehouse.proxy;

import io.gatehouse.Eventually;
import io.gatehouse.GatehouseConfig.AccessLogFormat;
import io.gatehouse.traffic.AccessLog;
import io.gatehouse.traffic.TrafficMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.gatehouse.proxy.ProxyFixture.resource;
import static io.gatehouse.proxy.ProxyFixture.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every request through the real proxy port is observed exactly once at its end, the proxy's own
 * 400/404/405/502/503/504 answers included, with low-cardinality labels; the Micrometer counters and
 * the access log are fed from that one record.
 */
class ProxyObservationTest {

    private final ConcurrentLinkedQueue<ProxiedRequest> seen = new ConcurrentLinkedQueue<>();
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TrafficMetrics metrics = new TrafficMetrics(prometheus);
    private final ProxyFixture fx = new ProxyFixture(r -> {
        // Metrics first: a test that saw the record may scrape at once (the first registration can take
        // longer than records()' grace period on a loaded machine).
        metrics.record(r);
        seen.add(r);
    });

    @AfterEach
    void close() {
        fx.close();
    }

    /** Waits for the records of {@code n} requests (recorded when each response ends, just after the client has it). */
    private List<ProxiedRequest> records(int n) throws InterruptedException {
        Eventually.eventually("records of " + n + " requests", () -> seen.size() >= n);
        Thread.sleep(50); // nothing more may come: each request is recorded once
        assertEquals(n, seen.size(), "records");
        List<ProxiedRequest> out = new ArrayList<>(seen);
        seen.clear();
        return out;
    }

    /** Waits for the record of the request sent with X-Request-Id {@code id}, and checks it is the only one. */
    private ProxiedRequest one(String id) throws InterruptedException {
        Eventually.eventually("the record of " + id, () -> seen.stream().anyMatch(r -> id.equals(r.requestId())));
        Thread.sleep(50); // nothing more may come: each request is recorded once
        List<ProxiedRequest> mine = seen.stream().filter(r -> id.equals(r.requestId())).toList();
        assertEquals(1, mine.size(), "records of " + id);
        seen.removeAll(mine);
        return mine.get(0);
    }

    /** Sample values of a metric in the Prometheus text format, by their full label set. */
    private Map<String, Double> scrape(String metric) {
        Map<String, Double> out = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^" + metric + "\\{([^}]*)} (\\S+)$").matcher(prometheus.scrape());
        while (m.find()) {
            out.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return out;
    }

    private double requests(String... labels) {
        return scrape("gatehouse_proxy_requests_total").entrySet().stream()
                .filter(e -> {
                    for (String l : labels) {
                        if (!e.getKey().contains(l)) {
                            return false;
                        }
                    }
                    return true;
                }).mapToDouble(Map.Entry::getValue).sum();
    }

    @Test
    void weights3To1Over100RequestsCount75And25PerHost() throws Exception {
        Backend a = fx.backend("a");
        Backend b = fx.backend("b");
        fx.publish("shop", "prod", Cfg.of("weighted_round_robin").host(a, 3).host(b, 1).build(),
                resources("items", resource("GET", "/items", "prefix", null)));
        fx.names("/shop/prod/items/1", 100);

        List<ProxiedRequest> rs = records(100);
        assertEquals(75, rs.stream().filter(r -> r.host().equals(a.url())).count());
        assertEquals(25, rs.stream().filter(r -> r.host().equals(b.url())).count());
        ProxiedRequest one = rs.get(0);
        assertEquals("shop", one.gateway());
        assertEquals("prod", one.stage());
        assertEquals("shop/prod", one.stageKey());
        assertEquals("items", one.resource());
        assertEquals(200, one.status());
        assertEquals(1, one.attempts());
        assertEquals("GET", one.method());
        assertEquals("/shop/prod/items/1", one.path());
        assertEquals("127.0.0.1", one.clientIp());
        assertEquals(32, one.requestId().length());

        String common = "gateway=\"shop\",";
        assertEquals(75.0, requests(common, "host=\"" + a.url() + "\"", "resource=\"items\"", "status=\"2xx\"",
                "tenant=\"(none)\""));
        assertEquals(25.0, requests(common, "host=\"" + b.url() + "\"", "status=\"2xx\""));
        assertEquals(100.0, requests(common));
        // The latency histogram has its buckets and counts every request once; the raw path is no label.
        String scraped = prometheus.scrape();
        assertTrue(scraped.contains("gatehouse_proxy_request_duration_seconds_bucket{gateway=\"shop\",host=\""
                + a.url() + "\",resource=\"items\",stage=\"prod\",tenant=\"(none)\",le=\"0.001\",}"), scraped);
        assertEquals(100.0, scrape("gatehouse_proxy_request_duration_seconds_count").values().stream()
                .mapToDouble(Double::doubleValue).sum());
        assertFalse(scraped.contains("/items/1"));
    }

    @Test
    void theProxysOwnAnswersAreRecordedOnceWithPlaceholders() throws Exception {
        Backend a = fx.backend("a");
        fx.publish("shop", "prod", Cfg.of("round_robin").host(a, 1).panicThreshold(0).build(),
                resources("get_item", resource("GET", "/items/{id}", "exact", null)));

        assertEquals(404, fx.get("/nope/prod/x", "X-Request-Id", "r1").status());
        ProxiedRequest unknownStage = one("r1");
        assertNull(unknownStage.gateway());
        assertNull(unknownStage.resource());
        assertNull(unknownStage.host());
        assertEquals(404, unknownStage.status());

        assertEquals(404, fx.get("/shop/prod/elsewhere", "X-Request-Id", "r2").status());
        ProxiedRequest noResource = one("r2");
        assertEquals("shop", noResource.gateway());
        assertNull(noResource.resource());
        assertEquals(0, noResource.attempts());

        assertEquals(405, fx.send(HttpMethod.DELETE, "/shop/prod/items/1", null, "X-Request-Id", "r3").status());
        assertEquals(405, one("r3").status());

        assertEquals(400, fx.get("/shop/prod/items/%2e%2e", "X-Request-Id", "r4").status());
        assertEquals(400, one("r4").status());

        fx.registry("shop", "prod").state(a.url()).markFailure(1);
        assertEquals(503, fx.get("/shop/prod/items/1", "X-Request-Id", "r5").status());
        ProxiedRequest noHost = one("r5");
        assertEquals("get_item", noHost.resource());
        assertNull(noHost.host());
        assertEquals(0, noHost.attempts());
        assertEquals(List.of(), seen.stream().map(r -> r.requestId() + " " + r.method() + " " + r.path() + " "
                + r.status()).toList(), "no other request was recorded");

        assertEquals(1.0, requests("gateway=\"(none)\"", "stage=\"(none)\"", "resource=\"(none)\"",
                "host=\"(none)\"", "status=\"4xx\""));
        assertEquals(3.0, requests("gateway=\"shop\"", "resource=\"(none)\"", "host=\"(none)\"", "status=\"4xx\""));
        assertEquals(1.0, requests("gateway=\"shop\"", "resource=\"get_item\"", "host=\"(none)\"", "status=\"5xx\""));
    }

    @Test
    void unreachableAndSlowHostsAreRecordedWithTheirAttempts() throws Exception {
        Backend dead1 = fx.backend("dead1");
        Backend dead2 = fx.backend("dead2");
        dead1.stop();
        dead2.stop();
        fx.publish("shop", "prod", Cfg.of("round_robin").host(dead1, 1).host(dead2, 1).retries(1).build(),
                resources("all", resource("ANY", "/", "prefix", null)));
        assertEquals(502, fx.get("/shop/prod/x").status());
        ProxiedRequest r = records(1).get(0);
        assertEquals(502, r.status());
        assertEquals(2, r.attempts());
        assertTrue(r.host().equals(dead1.url()) || r.host().equals(dead2.url()), r.host());

        Backend slow = fx.backend("slow").handler(req -> { /* never answers */ });
        fx.publish("shop", "prod", Cfg.of("round_robin").host(slow, 1).timeouts(1000, 300).retries(0).build(),
                resources("all", resource("ANY", "/", "prefix", null)));
        assertEquals(504, fx.get("/shop/prod/x").status());
        ProxiedRequest timedOut = records(1).get(0);
        assertEquals(504, timedOut.status());
        assertEquals(slow.url(), timedOut.host());
        assertEquals(1, timedOut.attempts());
    }

    @Test
    void aTenantServedByTheDefaultHostsIsCountedUnderThem() throws Exception {
        Backend shared = fx.backend("shared");
        Backend acmeDead = fx.backend("acme-dead");
        acmeDead.stop();
        fx.publish("shop", "prod", Cfg.of("round_robin").host(shared, 1).tenant("acme", acmeDead)
                .tenantFallback("default").retries(1).build(), resources("all", resource("ANY", "/", "prefix", null)));
        // The pool's only host refuses; the retry may not use it again, so the default hosts answer.
        assertEquals(200, fx.get("/shop/prod/x", "X-Tenant-Id", "acme").status());
        ProxiedRequest r = records(1).get(0);
        assertEquals(shared.url(), r.host());
        assertEquals(2, r.attempts());
        assertEquals("acme", r.tenant());
        assertNull(r.tenantPool(), "served by the default hosts, so not counted under acme's pool");
        assertEquals(1.0, requests("host=\"" + shared.url() + "\"", "tenant=\"(none)\"", "status=\"2xx\""));

        // With its pool's host back, acme is counted under its pool again.
        acmeDead.start();
        assertEquals(200, fx.get("/shop/prod/x", "X-Tenant-Id", "acme").status());
        ProxiedRequest back = records(1).get(0);
        assertEquals(acmeDead.url(), back.host());
        assertEquals("acme", back.tenantPool());
    }

    @Test
    void aClientThatLeavesBeforeTheAnswerIsRecordedOnceAs499() throws Exception {
        Backend slow = fx.backend("slow").handler(req -> { /* never answers */ });
        fx.publish("shop", "prod", Cfg.of("round_robin").host(slow, 1).timeouts(1000, 30_000).build(),
                resources("all", resource("ANY", "/", "prefix", null)));
        var client = fx.vertx.createHttpClient(new HttpClientOptions());
        fx.onContext(() -> client.request(new RequestOptions().setHost("127.0.0.1").setPort(fx.proxy.port())
                .setURI("/shop/prod/x")).onSuccess(req -> {
                    req.send();
                    fx.vertx.setTimer(200, t -> req.connection().close());
                }));
        ProxiedRequest r = records(1).get(0);
        assertEquals(ProxiedRequest.CLIENT_CLOSED, r.status());
        assertEquals(slow.url(), r.host());
        client.close();
    }

    @Test
    void accessLogLinesCarryEveryFieldAndJsonParses() throws Exception {
        Backend a = fx.backend("a");
        fx.publish("shop", "prod", Cfg.of("round_robin").host(a, 1).tenant("acme", a).build(),
                resources("items", resource("GET", "/items", "prefix", null)));
        fx.get("/shop/prod/items/\"quoted\"?q=1", "X-Request-Id", "req-42", "X-Tenant-Id", "acme");
        ProxiedRequest r = records(1).get(0);

        List<String> lines = new ArrayList<>();
        Logger logger = Logger.getLogger(AccessLog.CATEGORY);
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try {
            new AccessLog(AccessLogFormat.JSON).log(r);
            new AccessLog(AccessLogFormat.TEXT).log(r);
            new AccessLog(AccessLogFormat.OFF).log(r);
        } finally {
            logger.removeHandler(capture);
        }
        assertEquals(2, lines.size(), lines.toString());
        JsonObject json = new JsonObject(lines.get(0));
        assertEquals("req-42", json.getString("request_id"));
        assertEquals("127.0.0.1", json.getString("client_ip"));
        assertEquals("GET", json.getString("method"));
        assertEquals("/shop/prod/items/\"quoted\"", json.getString("path"));
        assertEquals("shop", json.getString("gateway"));
        assertEquals("prod", json.getString("stage"));
        assertEquals("items", json.getString("resource"));
        assertEquals("acme", json.getString("tenant"));
        assertEquals(a.url(), json.getString("host"));
        assertEquals(200, json.getInteger("status"));
        assertEquals(1, json.getInteger("attempts"));
        assertTrue(json.getDouble("duration_ms") >= 0);
        assertEquals(r.startMillis(), java.time.Instant.parse(json.getString("time")).toEpochMilli());
        assertEquals(13, json.size(), json.encode());

        String text = lines.get(1);
        assertTrue(text.matches("\\S+Z req-42 127\\.0\\.0\\.1 \"GET /shop/prod/items/\\\\\"quoted\\\\\"\" gateway=shop "
                + "stage=prod resource=items tenant=acme host=" + Pattern.quote(a.url())
                + " status=200 duration_ms=\\d+\\.\\d{3} attempts=1"), text);
        assertEquals("acme", r.tenantPool());
    }

    @Test
    void aFailingObserverCostsTheRequestNothing() throws Exception {
        try (ProxyFixture broken = new ProxyFixture(r -> {
            throw new IllegalStateException("observer bug");
        })) {
            Backend a = broken.backend("a");
            broken.publish("shop", "prod", Cfg.of("round_robin").host(a, 1).build(),
                    resources("all", resource("ANY", "/", "prefix", null)));
            assertEquals(List.of("a", "a"), broken.names("/shop/prod/x", 2));
        }
    }
}
