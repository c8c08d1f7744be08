package io.gatehouse.balance;

/**
 * Where consistent hash reads a request's key. Fallbacks compose ({@link #orElse}) rather than being
 * an {@code if} in the balancer: a request without its key is hashed by the next source.
 */
@FunctionalInterface
public interface KeySource {

    /** The key, or null when the request has none. */
    String keyOf(RequestAttributes request);

    default KeySource orElse(KeySource fallback) {
        return request -> {
            String key = keyOf(request);
            return key != null ? key : fallback.keyOf(request);
        };
    }

    KeySource CLIENT_IP = RequestAttributes::clientIp;
}
