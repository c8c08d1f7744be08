package io.gatehouse.stage;

import io.gatehouse.common.HostUrl;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.gatehouse.balance.Host;
import io.gatehouse.common.Violations;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One host: URL, weight, and failover {@code priority} (higher first; only written out when not the
 * default 0, so configs stored before tiers existed compare equal to new ones).
 */
public record BackendHost(String url, Integer weight, @JsonInclude(JsonInclude.Include.NON_NULL) Integer priority) {
    public static final int MAX_HOSTS = 1000;
    public static final int MIN_WEIGHT = Host.MIN_WEIGHT;
    public static final int MAX_WEIGHT = Host.MAX_WEIGHT;
    public static final int DEFAULT_WEIGHT = 1;
    /** Failover priority of a host without one: the default tier. */
    public static final int DEFAULT_PRIORITY = 0;
    public static final int MIN_PRIORITY = Host.MIN_PRIORITY;
    public static final int MAX_PRIORITY = Host.MAX_PRIORITY;

    public BackendHost(String url, Integer weight) {
        this(url, weight, null);
    }

    /** The priority with the default filled in. */
    public int priorityOrDefault() {
        return priority == null ? DEFAULT_PRIORITY : priority;
    }

    /** A pool with default weights filled in and default priorities left out (see the class comment). */
    public static List<BackendHost> withDefaults(List<BackendHost> pool) {
        if (pool == null) {
            return List.of();
        }
        List<BackendHost> out = new ArrayList<>(pool.size());
        for (BackendHost host : pool) {
            out.add(new BackendHost(host.url(), host.weight() == null ? DEFAULT_WEIGHT : host.weight(),
                    host.priorityOrDefault() == DEFAULT_PRIORITY ? null : host.priority()));
        }
        return List.copyOf(out);
    }

    /** Checks a pool under {@code field} ({@code backend.hosts}): 1 to MAX_HOSTS valid, distinct hosts. */
    public static void validatePool(String field, List<BackendHost> pool, Violations v) {
        if (pool == null || pool.isEmpty()) {
            v.add(field, "must have at least one host");
            return;
        }
        if (pool.size() > MAX_HOSTS) {
            v.add(field, "must have at most " + MAX_HOSTS + " hosts");
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < pool.size(); i++) {
            BackendHost host = pool.get(i);
            String at = field + "[" + i + "]";
            if (host == null) {
                v.add(at, "must be an object with url and weight");
                continue;
            }
            String problem = HostUrl.problem(host.url());
            if (problem != null) {
                v.add(at + ".url", problem);
            } else if (!seen.add(HostUrl.parse(host.url()).canonical())) {
                v.add(at + ".url", "duplicates another host of the same pool");
            }
            v.range(at + ".weight", host.weight(), MIN_WEIGHT, MAX_WEIGHT);
            v.range(at + ".priority", host.priority(), MIN_PRIORITY, MAX_PRIORITY);
        }
    }
}
