package io.gatehouse.stage;

import io.gatehouse.common.Violations;

import java.util.List;
import java.util.Objects;

/**
 * Passive health: which of a host's own answers count as failures ({@code http_statuses}, none by
 * default, as nginx's {@code proxy_next_upstream} and Envoy's outlier detection without
 * {@code consecutive_5xx}) and how many failed attempts in a row take it out. Connect failures,
 * TLS failures, connections closed before an answer and read timeouts always count. The same
 * statuses are the ones a retry may re-send on.
 */
public record PassiveHealth(List<Integer> httpStatuses, Integer consecutiveFailures) {
    /** Consecutive failed attempts that take a host out (nginx's max_fails is 1, Envoy's consecutive_5xx 5). */
    public static final int DEFAULT_FAILURES = 3;
    /** Consecutive good answers that bring a passively downed host back early (it gets traffic only in panic). */
    public static final int DEFAULT_SUCCESSES = 2;
    /** No answer counts; 3 failed attempts in a row take a host out. */
    public static final PassiveHealth DEFAULT = new PassiveHealth(List.of(), DEFAULT_FAILURES);

    /** These settings (null: none given) with defaults filled in: statuses sorted and distinct, never null. */
    public static PassiveHealth withDefaults(PassiveHealth p) {
        List<Integer> statuses = p == null || p.httpStatuses() == null ? List.of()
                : p.httpStatuses().stream().filter(Objects::nonNull).distinct().sorted().toList();
        int failures = p == null || p.consecutiveFailures() == null ? DEFAULT_FAILURES : p.consecutiveFailures();
        return new PassiveHealth(statuses, failures);
    }

    public void validate(String field, Violations v) {
        if (httpStatuses != null) {
            if (httpStatuses.size() > 100) {
                v.add(field + ".http_statuses", "must list at most 100 statuses");
            }
            for (int i = 0; i < httpStatuses.size(); i++) {
                Integer status = httpStatuses.get(i);
                if (status == null || status < 500 || status > 599) {
                    // 4xx is the client's doing, never the host's; a 2xx/3xx cannot be a failure.
                    v.add(field + ".http_statuses[" + i + "]", "must be an HTTP status from 500 to 599");
                }
            }
        }
        v.range(field + ".consecutive_failures", consecutiveFailures, 1, HealthCheck.MAX_THRESHOLD);
    }
}
