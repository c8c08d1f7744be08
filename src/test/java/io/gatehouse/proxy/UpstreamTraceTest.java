package io.gatehouse.proxy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.gatehouse.proxy.ProxyFixture.resource;
import static io.gatehouse.proxy.ProxyFixture.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The proxy names the host that answered only to a request carrying the process's secret; never forwards it. */
class UpstreamTraceTest {
    private final ProxyFixture fx = new ProxyFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void theRightSecretRevealsTheHostAndIsNotForwarded() {
        Backend a = fx.backend("a");
        Backend b = fx.backend("b");
        fx.publish("shop", "prod", Cfg.of("round_robin").host(a, 1).host(b, 1).build(),
                resources("items", resource("GET", "/items", "exact", null)));
        ProxyFixture.Response first = fx.get("/shop/prod/items", UpstreamTrace.REQUEST_HEADER, UpstreamTrace.secret());
        ProxyFixture.Response second = fx.get("/shop/prod/items", UpstreamTrace.REQUEST_HEADER, UpstreamTrace.secret());
        assertEquals("a " + a.url(), first.body() + " " + first.header(UpstreamTrace.RESPONSE_HEADER));
        assertEquals("b " + b.url(), second.body() + " " + second.header(UpstreamTrace.RESPONSE_HEADER));
        assertFalse(b.last.get().headers().contains(UpstreamTrace.REQUEST_HEADER));
    }

    @Test
    void noSecretOrAWrongOneRevealsNothingAndIsNotForwardedEither() {
        Backend a = fx.backend("a");
        // A backend that claims a host itself is not believed: only the proxy may say.
        Backend liar = fx.backend("liar").handler(req -> req.response()
                .putHeader(UpstreamTrace.RESPONSE_HEADER, "http://forged:1").end("liar"));
        fx.publish("shop", "prod", Cfg.of("round_robin").host(a, 1).host(liar, 1).build(),
                resources("items", resource("GET", "/items", "exact", null)));
        String secret = UpstreamTrace.secret();
        for (String wrong : new String[] {"", "1", secret.substring(1), secret + "0", secret.toUpperCase()}) {
            for (int i = 0; i < 2; i++) {
                ProxyFixture.Response r = fx.get("/shop/prod/items", UpstreamTrace.REQUEST_HEADER, wrong);
                assertEquals(200, r.status(), wrong);
                assertNull(r.header(UpstreamTrace.RESPONSE_HEADER), "'" + wrong + "' revealed " + r.headers());
                Backend answered = r.body().equals("a") ? a : liar;
                assertFalse(answered.last.get().headers().contains(UpstreamTrace.REQUEST_HEADER), wrong);
            }
        }
        ProxyFixture.Response plain = fx.get("/shop/prod/items");
        assertNull(plain.header(UpstreamTrace.RESPONSE_HEADER));
        ProxyFixture.Response traced = fx.get("/shop/prod/items", UpstreamTrace.REQUEST_HEADER, secret);
        assertEquals(traced.body().equals("a") ? a.url() : liar.url(), traced.header(UpstreamTrace.RESPONSE_HEADER));
    }
}
