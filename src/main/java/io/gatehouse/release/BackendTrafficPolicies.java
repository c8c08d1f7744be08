package io.gatehouse.release;

import io.gatehouse.balance.BalancerType;
import io.gatehouse.balance.HashKey;
import io.gatehouse.proxy.Upstream;
import io.gatehouse.stage.BackendConfig;
import io.gatehouse.stage.HashSpec;
import io.gatehouse.stage.HealthCheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.gatehouse.release.ExportScope.ENVOY_GATEWAY;
import static io.gatehouse.release.ExportScope.map;

/**
 * The Envoy Gateway {@code BackendTrafficPolicy} of one compiled upstream: balancing, slow start, retries,
 * timeouts, active and passive health and the panic threshold, each with a note where Envoy Gateway differs.
 */
final class BackendTrafficPolicies {
    private final ExportScope scope;
    private final List<Map<String, Object>> policies = new ArrayList<>();

    BackendTrafficPolicies(ExportScope scope) {
        this.scope = scope;
    }

    /** @param c the normalized config {@code up} was compiled from */
    void add(String name, Upstream up, BackendConfig c, List<Map<String, Object>> targetRefs) {
        List<String> notes = new ArrayList<>();
        Map<String, Object> spec = map("targetRefs", targetRefs);
        BalancerType type = up.pools().defaults().type();
        Map<String, Object> lb = loadBalancer(type, c.hash(), notes);
        if (c.slowStart() > 0) {
            if (type != BalancerType.RANDOM && type != BalancerType.CONSISTENT_HASH) {
                // Envoy's slow start begins at min_weight_percent 10 %, as Gatehouse's ramp does.
                lb.put("slowStart", map("window", duration(c.slowStart())));
            } else {
                notes.add("slow_start_ms " + c.slowStart() + ": Envoy Gateway has slow start for RoundRobin and "
                        + "LeastRequest only, not for " + lb.get("type"));
            }
        }
        spec.put("loadBalancer", lb);
        if (c.keepsEncodedSlashes()) {
            notes.add("encoded_slashes keep: Envoy Gateway sets this per listener, not per route (ClientTrafficPolicy "
                    + "path.escapedSlashesAction: KeepUnchanged; its default, UnescapeAndRedirect, redirects instead)");
        }
        List<Integer> statuses = up.failureStatuses();
        if (up.retries() > 0) {
            // Gatehouse retries a status only when passive_health lists it (nginx's proxy_next_upstream http_503).
            spec.put("retry", statuses.isEmpty()
                    ? map("numRetries", up.retries(), "retryOn", map("triggers", List.of("connect-failure")))
                    : map("numRetries", up.retries(), "retryOn", map("triggers",
                            List.of("connect-failure", "retriable-status-codes"), "httpStatusCodes", statuses)));
        }
        spec.put("timeout", map("tcp", map("connectTimeout", duration(up.connectTimeoutMs())),
                "http", map("requestTimeout", duration(up.readTimeoutMs()))));
        spec.put("healthCheck", health(c.healthCheck(), c, statuses, notes));
        policies.add(scope.object(ENVOY_GATEWAY + "/v1alpha1", "BackendTrafficPolicy", name, notes, spec));
    }

    private static Map<String, Object> loadBalancer(BalancerType type, HashSpec hash, List<String> notes) {
        return switch (type) {
            case ROUND_ROBIN, WEIGHTED_ROUND_ROBIN -> map("type", "RoundRobin");
            case RANDOM -> map("type", "Random");
            case LEAST_CONN -> map("type", "LeastRequest");
            case LEAST_RESPONSE_TIME -> {
                notes.add("type least_response_time has no Envoy Gateway equivalent; exported as LeastRequest");
                yield map("type", "LeastRequest");
            }
            case CONSISTENT_HASH -> {
                Map<String, Object> ch = switch (HashKey.On.fromWireName(hash.on())) {
                    case HEADER -> map("type", "Header", "header", map("name", hash.name()));
                    case COOKIE -> map("type", "Cookie", "cookie", map("name", hash.name()));
                    case IP -> map("type", "SourceIP");
                    case PATH -> {
                        notes.add("hash on path has no Envoy Gateway equivalent; exported as SourceIP");
                        yield map("type", "SourceIP");
                    }
                };
                notes.add("hash.replicas " + hash.replicas() + ": Envoy Gateway hashes with Maglev (tableSize), not a "
                        + "ketama ring, so keys land on other hosts than in Gatehouse");
                yield map("type", "ConsistentHash", "consistentHash", ch);
            }
        };
    }

    private Map<String, Object> health(HealthCheck hc, BackendConfig c, List<Integer> statuses, List<String> notes) {
        Map<String, Object> health = map();
        if (hc != null) {
            health.put("active", map("type", "HTTP", "http", map("path", hc.path()),
                    "interval", duration(hc.intervalMs()), "timeout", duration(hc.timeoutMs()),
                    "healthyThreshold", hc.healthyThreshold(), "unhealthyThreshold", hc.unhealthyThreshold()));
        }
        int failures = c.passive().consecutiveFailures();
        // Connect failures, resets and timeouts are Envoy's "locally originated" errors, counted apart from the
        // backend's answers once split; answers count only for the statuses listed.
        Map<String, Object> passive = map("splitExternalLocalOriginErrors", true,
                "consecutiveLocalOriginFailures", failures);
        if (statuses.equals(List.of(502, 503, 504))) {
            passive.put("consecutiveGatewayErrors", failures);
        } else if (!statuses.isEmpty()) {
            passive.put("consecutive5XxErrors", failures);
            if (!statuses.equals(IntStream.rangeClosed(500, 599).boxed().toList())) {
                notes.add("passive_health.http_statuses " + statuses + ": Envoy counts every 5xx answer in "
                        + "consecutive5XxErrors, not only these");
            }
        } else {
            // No answer counts against a host. Left out, Envoy would eject after its default of 5 consecutive 5xx
            // (outlier_detection.consecutive_5xx); the largest count it takes means never, as here.
            passive.put("consecutive5XxErrors", Integer.MAX_VALUE);
        }
        passive.put("baseEjectionTime", duration((int) scope.options().passiveCooldown().toMillis()));
        passive.put("maxEjectionPercent", 100);
        health.put("passive", passive);
        // The same rule on both sides: below this share of healthy hosts, spread over all of them.
        health.put("panicThreshold", c.panicPercent());
        return health;
    }

    /** A Gateway API duration ({@code ^([0-9]{1,5}(h|m|s|ms)){1,4}$}): 30000 ms is "30s", 2500 ms "2s500ms". */
    static String duration(int ms) {
        if (ms == 0) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        int h = ms / 3_600_000;
        int m = ms / 60_000 % 60;
        int s = ms / 1000 % 60;
        int rest = ms % 1000;
        if (h > 0) {
            b.append(h).append('h');
        }
        if (m > 0) {
            b.append(m).append('m');
        }
        if (s > 0) {
            b.append(s).append('s');
        }
        if (rest > 0) {
            b.append(rest).append("ms");
        }
        return b.toString();
    }

    List<Map<String, Object>> objects() {
        return policies;
    }
}
