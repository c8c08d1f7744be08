package io.gatehouse.balance;

import io.gatehouse.common.HostUrl;

import java.util.Objects;

/**
 * A member of a pool: a backend host {@code scheme://host[:port]} with an integer weight 1–10000 and a
 * failover priority (higher first, APISIX's node {@code priority}; see {@link Members} for tiers).
 *
 * <p>{@code url} is the member's identity, the key of its health, in-flight count and latency in
 * {@link HostRegistry}. A configured host is one member, its URL its identity. A host whose name DNS
 * discovery resolves is one member per address (Envoy's STRICT_DNS cluster): {@code url} is then
 * {@code configuredUrl#address} ({@code #} cannot occur in a configured URL), so each address has its own
 * health and balancing, while {@link #configuredUrl()} says which host of the config it stands for (its
 * Host header, TLS name and operator state).
 *
 * @param address       the IP literal to connect to, or null to connect to the URL's host as is
 * @param configuredUrl the host URL as configured (canonical); equals {@code url} when {@code address} is null
 * @param endpoint      where the member is reached, parsed from {@code configuredUrl} and {@code address}; pass
 *                      null and the constructor parses it (any other value must be what it parses)
 */
public record Host(String url, int weight, int priority, String address, String configuredUrl, Endpoint endpoint) {

    public static final int MIN_WEIGHT = 1;
    public static final int MAX_WEIGHT = 10_000;
    public static final int MIN_PRIORITY = -1000;
    public static final int MAX_PRIORITY = 1000;

    /** A host of the default tier, priority 0. */
    public Host(String url, int weight) {
        this(url, weight, 0);
    }

    /** A configured host, connected to as its URL says. */
    public Host(String url, int weight, int priority) {
        this(url, weight, priority, null, url, null);
    }

    public Host {
        Objects.requireNonNull(url, "url");
        configuredUrl = configuredUrl == null ? url : configuredUrl;
        String problem = HostUrl.problem(configuredUrl);
        if (problem != null) {
            throw new IllegalArgumentException("host url " + problem + ", got: " + configuredUrl);
        }
        if (!url.equals(address == null ? configuredUrl : configuredUrl + "#" + address)) {
            throw new IllegalArgumentException("a member's url is its configured url, then #address when it has one: " + url);
        }
        if (weight < MIN_WEIGHT || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("host weight must be 1-10000, got: " + weight + " for " + url);
        }
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("host priority must be -1000-1000, got: " + priority + " for " + url);
        }
        Endpoint parsed = Endpoint.of(configuredUrl, address);
        if (endpoint != null && !(endpoint.equals(parsed) && endpoint.authority().equals(parsed.authority()))) {
            throw new IllegalArgumentException("endpoint " + endpoint + " is not that of " + url);
        }
        endpoint = parsed;
    }

    /** The member for one address {@code address} (an IP literal) of this configured host. */
    public Host at(String address) {
        Objects.requireNonNull(address, "address");
        return new Host(configuredUrl + "#" + address, weight, priority, address, configuredUrl, null);
    }

    /** The configured URL a member key ({@link #url()}) stands for: the key without its {@code #address}. */
    public static String configuredUrl(String memberUrl) {
        int hash = memberUrl.indexOf('#');
        return hash < 0 ? memberUrl : memberUrl.substring(0, hash);
    }
}
