package io.gatehouse.balance;

/**
 * What a balancer may read from a request. The proxy implements it over its own request object,
 * without copying; a balancer calls only what it needs (today only consistent hash reads anything).
 * Every method returns {@code null} when the request has no such value.
 */
public interface RequestAttributes {

    /** The first value of header {@code name} (case-insensitive), or null. */
    String header(String name);

    /** The value of cookie {@code name}, or null. */
    String cookie(String name);

    /** The request path as the client sent it, without the query string. */
    String path();

    /** The client's address as the proxy sees it (the TCP peer). */
    String clientIp();

    /** A request with no attributes at all, for callers that have none (benchmarks, health probes). */
    RequestAttributes NONE = new RequestAttributes() {
        @Override
        public String header(String name) {
            return null;
        }

        @Override
        public String cookie(String name) {
            return null;
        }

        @Override
        public String path() {
            return null;
        }

        @Override
        public String clientIp() {
            return null;
        }
    };
}
