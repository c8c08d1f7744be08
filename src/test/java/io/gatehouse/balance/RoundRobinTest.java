package io.gatehouse.balance;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.gatehouse.balance.Fixtures.hosts;
import static io.gatehouse.balance.Fixtures.markDown;
import static io.gatehouse.balance.Fixtures.markUp;
import static io.gatehouse.balance.Fixtures.name;
import static io.gatehouse.balance.Fixtures.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RoundRobinTest {

    private final HostRegistry registry = new HostRegistry();

    @Test
    void hostsInTurnWeightsIgnored() {
        Balancer b = Balancer.create(BalancerType.ROUND_ROBIN, hosts(5, 1, 1), null, registry);
        assertEquals("a b c a b c a b c", sequence(b, 9));
    }

    @Test
    void twoHostsAlternateExactly() {
        Balancer b = Balancer.create(BalancerType.ROUND_ROBIN, hosts(10_000, 1), null, registry);
        assertEquals("a b a b a b", sequence(b, 6));
    }

    @Test
    void downHostLosesItsTurn() {
        List<Host> hosts = hosts(1, 1, 1);
        Balancer b = Balancer.create(BalancerType.ROUND_ROBIN, hosts, null, registry);
        markDown(registry, hosts.get(1));
        assertEquals("a c a c a c", sequence(b, 6));
        markUp(registry, hosts.get(1));
        assertEquals("a b c a", sequence(b, 4));
    }

    @Test
    void allDownGivesNull() {
        List<Host> hosts = hosts(1, 1);
        Balancer b = Balancer.create(BalancerType.ROUND_ROBIN, hosts, null, registry);
        hosts.forEach(h -> markDown(registry, h));
        assertNull(b.pick(RequestAttributes.NONE));
    }

    @Test
    void retryExcludesTriedHosts() {
        List<Host> hosts = hosts(1, 1, 1);
        Balancer b = Balancer.create(BalancerType.ROUND_ROBIN, hosts, null, registry);
        assertEquals("b", name(b.pick(RequestAttributes.NONE, Set.of(hosts.get(0).url()))));
        assertEquals("c", name(b.pick(RequestAttributes.NONE, Set.of(hosts.get(0).url()))));
        assertNull(b.pick(RequestAttributes.NONE, Set.of(hosts.get(0).url(), hosts.get(1).url(), hosts.get(2).url())));
    }
}
