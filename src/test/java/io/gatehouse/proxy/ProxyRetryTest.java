package io.gatehouse.proxy;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static io.gatehouse.proxy.ProxyFixture.anyPath;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What {@code retries} promises (docs/configuration.md), through the real proxy port with exact counts of what
 * reached the backends: after a read timeout or a listed status, an idempotent method (GET, HEAD, OPTIONS, PUT,
 * DELETE; RFC 9110 §9.2.2) whose body has not started goes to another host, at most {@code retries} times; a POST or
 * PATCH never, even without a body, so "not idempotent" is told apart from "body started". Three hosts and
 * {@code retries: 1}: a retry that ignored the bound would show as a third hit.
 */
class ProxyRetryTest {
    private final ProxyFixture fx = new ProxyFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    /** Three hosts made by {@code host}, published with one retry; {@code method} sent once; the answer. */
    private Attempted send(Function<String, Backend> host, HttpMethod method, String body, Integer... failOn) {
        List<Backend> hosts = new ArrayList<>();
        Cfg cfg = Cfg.of("round_robin").timeouts(1000, 300).retries(1)
                .failOn(100, failOn); // 100 in a row before a passive mark: these tests are about retries only
        for (String name : List.of("a", "b", "c")) {
            Backend b = host.apply(name);
            hosts.add(b);
            cfg.host(b, 1);
        }
        fx.publish("shop", "prod", cfg.build(), anyPath());
        ProxyFixture.Response r = fx.send(method, "/shop/prod/x", body);
        return new Attempted(r, hosts.stream().mapToInt(b -> b.requests.get()).sum(),
                hosts.stream().filter(b -> b.requests.get() > 1).count());
    }

    /** The answer, the requests the three hosts got, and how many hosts got more than one. */
    private record Attempted(ProxyFixture.Response response, int hits, long hostsHitTwice) {
    }

    /** A host that takes requests and never answers: every attempt on it ends in a read timeout. */
    private Backend silent(String name) {
        return fx.backend(name).handler(req -> { });
    }

    private Function<String, Backend> answering(int status) {
        return name -> fx.backend(name).handler(req -> req.response().setStatusCode(status).end(name + " says " + status));
    }

    @ParameterizedTest(name = "{0} without a body: {1} attempt(s)")
    @CsvSource({"GET, 2", "HEAD, 2", "OPTIONS, 2", "PUT, 2", "DELETE, 2", "POST, 1", "PATCH, 1"})
    void aReadTimeoutIsRetriedOnAnotherHostOnlyForAnIdempotentMethod(String method, int attempts) {
        Attempted a = send(this::silent, HttpMethod.valueOf(method), null);
        assertEquals(504, a.response().status());
        assertEquals(attempts, a.hits(), method + ": requests that reached a backend");
        assertEquals(0, a.hostsHitTwice(), "a retry goes to another host");
    }

    @ParameterizedTest(name = "{0} with a body")
    @ValueSource(strings = {"PUT", "DELETE", "POST"})
    void aRequestWhoseBodyHasStartedIsNotRetriedAfterAReadTimeout(String method) {
        Attempted a = send(this::silent, HttpMethod.valueOf(method), "a body");
        assertEquals(504, a.response().status());
        assertEquals(1, a.hits(), method + " with a body: the body is not kept for a second attempt");
    }

    @ParameterizedTest(name = "listed {0}")
    @ValueSource(ints = {502, 503, 504})
    void aListedStatusIsRetriedOnAnotherHostOnlyForAnIdempotentMethodWithoutABody(int status) {
        for (String method : List.of("GET", "PUT", "DELETE")) {
            Attempted a = send(answering(status), HttpMethod.valueOf(method), null, status);
            assertEquals(status, a.response().status(), method + ": the last host's answer when retries run out");
            assertEquals(2, a.hits(), method + " without a body: requests that reached a backend");
            assertEquals(0, a.hostsHitTwice());
        }
        for (String method : List.of("POST", "PATCH")) {
            Attempted a = send(answering(status), HttpMethod.valueOf(method), null, status);
            assertEquals(status, a.response().status());
            assertEquals(1, a.hits(), method + " without a body is not idempotent: passed through");
        }
        Attempted put = send(answering(status), HttpMethod.PUT, "a body", status);
        assertEquals(1, put.hits(), "PUT with a body: passed through");
    }

    @ParameterizedTest(name = "unlisted {0}")
    @ValueSource(ints = {502, 503, 504})
    void anUnlistedStatusIsTheBackendsAnswerAndNotRetried(int status) {
        Attempted a = send(answering(status), HttpMethod.GET, null);
        assertEquals(status, a.response().status());
        assertEquals(1, a.hits());
    }

    @Test
    void aRetryAfterAListed502ReachesAHealthyHost() {
        Backend flaky = answering(502).apply("flaky");
        Backend good = fx.backend("good");
        fx.publish("shop", "prod", Cfg.of("round_robin").host(flaky, 1).host(good, 1).retries(1)
                .failOn(100, 502).build(), anyPath());
        for (int i = 0; i < 6; i++) {
            ProxyFixture.Response r = fx.get("/shop/prod/x");
            assertEquals("200 good", r.status() + " " + r.body(), "request " + i);
        }
        assertEquals(6, good.requests.get());
    }
}
