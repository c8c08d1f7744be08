package io.gatehouse.proxy;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.gatehouse.Eventually.eventually;
import static io.gatehouse.proxy.ProxyFixture.anyPath;
import static io.gatehouse.proxy.ProxyFixture.resource;
import static io.gatehouse.proxy.ProxyFixture.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dead, slow and failing hosts through the real proxy port: retries, passive and active health. */
class ProxyFailureTest {

    private ProxyFixture fx = new ProxyFixture(Duration.ofMillis(400));

    @AfterEach
    void close() {
        fx.close();
    }

    private boolean up(Backend b) {
        return fx.up("shop", "prod", b.url());
    }

    @Test
    void killedHostIsSkippedAfterPassiveMarksWhileItsProbesStillPassAndBackAfterTheCooldown() throws Exception {
        Backend a = fx.backend("a");
        Backend b = fx.backend("b");
        // A long interval: the probes are not what takes b out. Passive marks and probes are separate verdicts.
        fx.publish("shop", "prod", Cfg.of("round_robin").host(a, 1).host(b, 1).retries(1).failOn(2)
                .healthCheck(1500, 2, 2).build(), anyPath());
        eventually("first probes", () -> a.healthChecks.get() > 0 && b.healthChecks.get() > 0);
        assertTrue(fx.names("/shop/prod/x", 4).contains("b"));

        b.stop();
        for (String name : fx.names("/shop/prod/x", 6)) {
            assertEquals("a", name, "a connect failure is retried on another host");
        }
        assertFalse(up(b), "two connect failures in a row take b out");
        assertEquals("connect refused (2 in a row)", fx.status("shop", "prod", b.url()).reason());
        int before = b.requests.get();
        assertEquals(List.of("a", "a", "a", "a"), fx.names("/shop/prod/x", 4));

        b.start(); // same port: the host recovers
        eventually("b re-admitted after the cool-down", () -> up(b));
        assertTrue(fx.names("/shop/prod/x", 4).contains("b"));
        assertTrue(b.requests.get() > before);
    }

    @Test
    void withoutActiveChecksAPassivelyDownedHostIsReadmittedAfterTheCooldown() throws Exception {
        Backend a = fx.backend("a");
        Backend b = fx.backend("b");
        fx.publish("shop", "prod", Cfg.of("round_robin").host(a, 1).host(b, 1).retries(1).build(), anyPath());
        b.stop();
        assertEquals(List.of("a", "a", "a", "a", "a", "a", "a", "a"), fx.names("/shop/prod/x", 8));
        assertFalse(up(b));
        b.start();
        eventually("b re-admitted after the cool-down", () -> up(b));
        assertTrue(fx.names("/shop/prod/x", 4).contains("b"));
    }

    @Test
    void everyHostDownIs503NamingThePool() {
        Backend a = fx.backend("a");
        Backend b = fx.backend("b");
        fx.registry("shop", "prod").state(a.url()).markFailure(1);
        fx.registry("shop", "prod").state(b.url()).markFailure(1);
        // Panic off: with it (the default) an all-down pool spreads over every host instead (FailureContainmentTest).
        fx.publish("shop", "prod", Cfg.of("least_conn").host(a, 1).host(b, 1).panicThreshold(0).build(), anyPath());

        ProxyFixture.Response r = fx.get("/shop/prod/x");
        assertEquals(503, r.status());
        assertEquals("application/problem+json", r.header("Content-Type"));
        JsonObject p = new JsonObject(r.body());
        assertEquals("no_healthy_host", p.getString("code"));
        assertTrue(p.getString("detail").contains("no healthy host"), p.getString("detail"));
        assertEquals(0, a.requests.get() + b.requests.get());
    }

    @Test
    void slowBackendIs504() {
        Backend slow = fx.backend("slow").handler(req -> { /* never answers */ });
        fx.publish("shop", "prod", Cfg.of("round_robin").host(slow, 1).timeouts(1000, 300).retries(0).build(), anyPath());
        ProxyFixture.Response r = fx.get("/shop/prod/x");
        assertEquals(504, r.status());
        assertEquals("backend_timeout", new JsonObject(r.body()).getString("code"));
    }

    @Test
    void refusedConnectionIs502AndRetriesGoToAnotherHost() {
        Backend dead = fx.backend("dead");
        dead.stop();
        fx.publish("shop", "prod", Cfg.of("round_robin").host(dead, 1).retries(0).build(), anyPath());
        ProxyFixture.Response r = fx.get("/shop/prod/x");
        assertEquals(502, r.status());
        assertEquals("backend_unreachable", new JsonObject(r.body()).getString("code"));

        Backend live = fx.backend("live");
        fx.registry("shop", "prod").state(dead.url()).markSuccess(1);
        fx.publish("shop", "prod", Cfg.of("round_robin").host(dead, 1).host(live, 1).retries(1).build(), anyPath());
        // A POST with a body too: nothing was sent to the dead host, so it is safe to re-send.
        for (int i = 0; i < 4; i++) {
            ProxyFixture.Response ok = fx.send(HttpMethod.POST, "/shop/prod/x", "payload");
            assertEquals(200, ok.status());
            assertEquals("live", ok.body());
        }
    }

    @Test
    void anUnlisted503IsTheBackendsAnswerPassedThroughNeverRetriedNorCounted() {
        Backend flaky = fx.backend("flaky").handler(req -> req.response().setStatusCode(503).end("flaky says 503"));
        Backend good = fx.backend("good");
        fx.publish("shop", "prod", Cfg.of("round_robin").host(flaky, 1).host(good, 1).retries(1).build(), anyPath());
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ProxyFixture.Response r = fx.get("/shop/prod/x");
            answers.add(r.status() + " " + r.body());
        }
        assertEquals(List.of("503 flaky says 503", "200 good", "503 flaky says 503", "200 good",
                "503 flaky says 503", "200 good", "503 flaky says 503", "200 good"), answers);
        assertEquals(4, flaky.requests.get(), "each 503 went to the client as it was, without a retry");
        assertTrue(up(flaky), "an application's 503 is no passive failure unless listed");
    }

    @Test
    void readTimeoutStartsWhenTheBodyIsSentSoASlowUploadIsNotCut() {
        Backend sink = fx.backend("sink").handler(req -> req.body().onSuccess(b -> req.response().end("got " + b.length())));
        Backend silent = fx.backend("silent").handler(req -> { /* reads nothing, answers nothing */ });
        var res = resources("u", resource("POST", "/u", "exact", null));
        fx.publish("shop", "prod", Cfg.of("round_robin").host(sink, 1).timeouts(1000, 300).retries(0).build(), res);
        // 10 chunks 100 ms apart: a 1 s upload, over three times read_ms, with the backend silent until the end.
        io.vertx.core.Promise<String> answer = io.vertx.core.Promise.promise();
        fx.onContext(() -> fx.client.request(new io.vertx.core.http.RequestOptions().setMethod(HttpMethod.POST)
                        .setURI("/shop/prod/u"))
                .onSuccess(req -> {
                    req.setChunked(true);
                    req.response().compose(r -> r.body().map(b -> r.statusCode() + " " + b)).onComplete(answer);
                    int[] n = {0};
                    fx.vertx.setPeriodic(100, id -> {
                        if (n[0]++ < 10) {
                            req.write("0123456789");
                        } else {
                            fx.vertx.cancelTimer(id);
                            req.end();
                        }
                    });
                }));
        assertEquals("200 got 100", Backend.await(answer.future()));

        fx.publish("shop", "prod", Cfg.of("round_robin").host(silent, 1).timeouts(1000, 300).retries(0).build(), res);
        ProxyFixture.Response r = fx.send(HttpMethod.POST, "/shop/prod/u", "a body");
        assertEquals(504, r.status(), "once the body is sent, read_ms applies");
    }
}
