package io.gatehouse.balance;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.gatehouse.balance.Fixtures.markDown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolSetTest {

    private final HostRegistry registry = new HostRegistry();
    private final Host d1 = new Host("http://default-1:8080", 1);
    private final Host d2 = new Host("http://default-2:8080", 1);
    private final Host acme = new Host("http://acme-1:8080", 1);

    private PoolSet pools(TenantFallback fallback) {
        return PoolSet.of(BalancerType.ROUND_ROBIN, List.of(d1, d2), Map.of("acme", List.of(acme)),
                fallback, null, registry);
    }

    @Test
    void tenantWithAPoolUsesIt() {
        PoolSet p = pools(TenantFallback.FAIL);
        for (int i = 0; i < 5; i++) {
            assertEquals(acme, p.pick("acme", RequestAttributes.NONE));
        }
        assertEquals("acme", p.poolFor("acme").hosts().get(0).url().substring(7, 11));
    }

    @Test
    void unknownOrMissingTenantUsesTheDefaultHosts() {
        PoolSet p = pools(TenantFallback.FAIL);
        assertEquals(d1, p.pick("globex", RequestAttributes.NONE));
        assertEquals(d2, p.pick(null, RequestAttributes.NONE));
        assertSame(p.defaults(), p.poolFor("globex"));
        assertEquals("no healthy host", p.whyNoHost(null).detail());
    }

    @Test
    void tenantPoolAllDownWithFailGivesNoHost() {
        PoolSet p = pools(TenantFallback.FAIL);
        markDown(registry, acme);
        assertNull(p.pick("acme", RequestAttributes.NONE));
        assertEquals(new PoolSet.NoHost("acme", false), p.whyNoHost("acme"));
        assertEquals("no healthy host in tenant pool 'acme'", p.whyNoHost("acme").detail());
        assertEquals(d1, p.pick("other", RequestAttributes.NONE)); // others unaffected
    }

    @Test
    void tenantPoolAllDownWithDefaultFallsBackToTheDefaultHosts() {
        PoolSet p = pools(TenantFallback.DEFAULT);
        markDown(registry, acme);
        assertEquals(d1, p.pick("acme", RequestAttributes.NONE));
        assertEquals(d2, p.pick("acme", RequestAttributes.NONE));
        markDown(registry, d1);
        markDown(registry, d2);
        assertNull(p.pick("acme", RequestAttributes.NONE));
        assertEquals("no healthy host in tenant pool 'acme' nor in the default hosts", p.whyNoHost("acme").detail());
    }

    @Test
    void retryExcludesAcrossTheFallback() {
        PoolSet p = pools(TenantFallback.DEFAULT);
        // acme's only host was tried: the retry goes to the default hosts
        assertTrue(Set.of(d1, d2).contains(p.pick("acme", RequestAttributes.NONE, Set.of(acme.url()))));
        assertNull(pools(TenantFallback.FAIL).pick("acme", RequestAttributes.NONE, Set.of(acme.url())));
    }

    @Test
    void fallbackDefaultsToFailAndPoolsShareOneRegistry() {
        Balancer defaults = Balancer.create(BalancerType.ROUND_ROBIN, List.of(d1), null, registry);
        assertEquals(TenantFallback.FAIL, new PoolSet(defaults, null, null).fallback());
        Balancer foreign = Balancer.create(BalancerType.ROUND_ROBIN, List.of(acme), null, new HostRegistry());
        assertThrows(IllegalArgumentException.class,
                () -> new PoolSet(defaults, Map.of("acme", foreign), TenantFallback.FAIL));
    }

    private PoolSet panicking(TenantFallback fallback, int threshold) {
        return PoolSet.of(BalancerType.ROUND_ROBIN, List.of(d1, d2), Map.of("acme", List.of(acme, acme2)),
                fallback, null, registry, new PoolHealth(null, threshold, 3, 2));
    }

    private final Host acme2 = new Host("http://acme-2:8080", 1);

    @Test
    void belowThePanicThresholdEveryHostIsChosenAndTheChoiceSaysPanic() {
        PoolSet p = panicking(TenantFallback.FAIL, 50);
        markDown(registry, d1);
        // 1 of 2 healthy is 50 %: not below, so d2 only.
        for (int i = 0; i < 4; i++) {
            PoolSet.Chosen c = (PoolSet.Chosen) p.choose(null, RequestAttributes.NONE, Set.of());
            assertEquals(d2, c.host());
            assertEquals(false, c.panic());
            p.report(c, 1_000, Outcome.SUCCESS, 200);
        }
        markDown(registry, d2);
        List<Host> chosen = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            PoolSet.Chosen c = (PoolSet.Chosen) p.choose(null, RequestAttributes.NONE, Set.of());
            assertTrue(c.panic());
            chosen.add(c.host());
            p.report(c, 1_000, Outcome.CANCELLED, 0);
        }
        assertEquals(List.of(d1, d2, d1, d2), chosen);
        assertEquals(0, registry.state(d1.url()).inFlight());
        assertEquals(new PoolSet.NoHost(null, false), panicking(TenantFallback.FAIL, 0)
                .choose(null, RequestAttributes.NONE, Set.of()), "panic_threshold 0: no host");
    }

    @Test
    void aFailTenantPoolPanicsOverItsOwnHostsWhileADefaultOneFallsBackFirst() {
        markDown(registry, acme);
        markDown(registry, acme2);
        PoolSet fail = panicking(TenantFallback.FAIL, 50);
        for (int i = 0; i < 4; i++) {
            PoolSet.Chosen c = (PoolSet.Chosen) fail.choose("acme", RequestAttributes.NONE, Set.of());
            assertTrue(c.host() == acme || c.host() == acme2, c.host().url());
            assertTrue(c.panic());
            assertEquals(false, c.fellBack());
        }
        PoolSet fallBack = panicking(TenantFallback.DEFAULT, 50);
        PoolSet.Chosen c = (PoolSet.Chosen) fallBack.choose("acme", RequestAttributes.NONE, Set.of());
        assertEquals(d1, c.host());
        assertTrue(c.fellBack());
        assertEquals(false, c.panic());
    }

    @Test
    void onlyFailuresThatProveTheHostUnwellCountAgainstIt() {
        PoolSet p = panicking(TenantFallback.FAIL, 0);
        for (Outcome o : Outcome.values()) {
            assertEquals(o != Outcome.SUCCESS && o != Outcome.CANCELLED && o != Outcome.BUSY, o.failure(), o.name());
        }
        for (int i = 0; i < 2; i++) {
            p.report((PoolSet.Chosen) p.choose(null, RequestAttributes.NONE, Set.of(d2.url())), 5, Outcome.READ_TIMEOUT, 0);
        }
        p.report((PoolSet.Chosen) p.choose(null, RequestAttributes.NONE, Set.of(d2.url())), 5, Outcome.CANCELLED, 0);
        assertTrue(registry.state(d1.url()).isUp(), "two failures and a cancel are not three in a row");
        p.report((PoolSet.Chosen) p.choose(null, RequestAttributes.NONE, Set.of(d2.url())), 5, Outcome.READ_TIMEOUT, 0);
        assertEquals(false, registry.state(d1.url()).isUp());
        assertEquals("read timeout (3 in a row)", registry.state(d1.url()).marks().reason());
    }
}
