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
}
