package io.gatehouse.proxy;

/**
 * What the compiler connects a backend host name to: nothing of its own ({@link #AS_IS}: the name is
 * connected to as is, resolved by Vert.x per connection, as for IP literals and names of the hosts file),
 * or the addresses DNS discovery found for it ({@link HostDiscovery}).
 */
@FunctionalInterface
public interface Addresses {

    /** Every host connected to as its URL says: previews, the publish gate, proxies without discovery. */
    Addresses AS_IS = host -> null;

    /**
     * The current resolution of {@code host} (a lower-case name or IP literal as in a canonical host URL),
     * or null when it is not discovered and is connected to as is. A resolution with no addresses (never
     * answered) makes the host unavailable: no member, and the 503 names it.
     */
    DnsDiscovery.Resolution of(String host);
}
