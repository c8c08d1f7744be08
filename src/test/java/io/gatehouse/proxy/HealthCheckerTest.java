package io.gatehouse.proxy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.gatehouse.Eventually.eventually;
import static io.gatehouse.proxy.ProxyFixture.resource;
import static io.gatehouse.proxy.ProxyFixture.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class HealthCheckerTest {

    private final ProxyFixture fx = new ProxyFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void probesStartOnApplyFollowHostChangesAndStopOnRemove() throws Exception {
        Backend a = fx.backend("a");
        Backend b = fx.backend("b");
        var res = resources("all", resource("ANY", "/", "prefix", null));
        fx.publish("shop", "prod", Cfg.of("round_robin").host(a, 1).host(b, 1).healthCheck(100, 1, 1).build(), res);
        assertEquals(Set.of(a.url() + "", b.url()), fx.health.probedUrls());
        eventually("probes without any traffic", () -> a.healthChecks.get() >= 2 && b.healthChecks.get() >= 2);
        assertEquals(0, a.requests.get() + b.requests.get());

        fx.publish("shop", "prod", Cfg.of("round_robin").host(a, 1).healthCheck(100, 1, 1).build(), res);
        assertEquals(Set.of(a.url()), fx.health.probedUrls());
        Thread.sleep(150);
        int bChecks = b.healthChecks.get();
        Thread.sleep(400);
        assertEquals(bChecks, b.healthChecks.get(), "a dropped host is no longer probed");

        a.stop();
        eventually("a failing probe marks a down", () -> !fx.up("shop", "prod", a.url()));
        a.start();
        eventually("a good probe marks a up", () -> fx.up("shop", "prod", a.url()));

        fx.store.remove("shop", "prod");
        assertFalse(fx.health.probedUrls().contains(a.url()));
    }
}
