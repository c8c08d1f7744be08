package io.gatehouse.balance;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A backend host of a pool: {@code scheme://host[:port]} (the identity key of its health, in-flight
 * count and latency in {@link HostRegistry}), an integer weight 1–10000 and a failover priority
 * (higher first, APISIX's node {@code priority}; see {@link Members} for tiers).
 */
public record Host(String url, int weight, int priority) {

    public static final int MIN_WEIGHT = 1;
    public static final int MAX_WEIGHT = 10_000;
    public static final int MIN_PRIORITY = -1000;
    public static final int MAX_PRIORITY = 1000;

    /** A host of the default tier, priority 0. */
    public Host(String url, int weight) {
        this(url, weight, 0);
    }

    /** Scheme, {@code ://}, then an authority with no user info, path, query or fragment. */
    private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://[^/?#@\\s]+$");

    public Host {
        Objects.requireNonNull(url, "url");
        if (!URL.matcher(url).matches()) {
            throw new IllegalArgumentException("host url must be scheme://host[:port], got: " + url);
        }
        if (weight < MIN_WEIGHT || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("host weight must be 1-10000, got: " + weight + " for " + url);
        }
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("host priority must be -1000-1000, got: " + priority + " for " + url);
        }
    }
}
