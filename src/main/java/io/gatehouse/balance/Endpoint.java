package io.gatehouse.balance;

import io.gatehouse.common.HostUrl;

import java.util.Objects;

/**
 * Where a {@link Host} is reached, parsed once from its URL (and discovered address) when the member is built, so
 * a request reads it instead of parsing or looking anything up.
 *
 * <p>Two endpoints are equal when a connection to one serves the other: same address, port, TLS and, with TLS,
 * the name the certificate is checked against. That is a backend connection pool's key; the Host header
 * ({@link #authority}) is not part of it, as nginx keeps one keep-alive cache per peer address.
 */
public final class Endpoint {

    private final String address;
    private final int port;
    private final boolean tls;
    private final String name;
    private final String authority;
    private final int hash;

    private Endpoint(String address, int port, boolean tls, String name, String authority) {
        this.address = address;
        this.port = port;
        this.tls = tls;
        this.name = name;
        this.authority = authority;
        this.hash = Objects.hash(address, port, tls, serverName());
    }

    /**
     * The endpoint of {@code url} ({@code scheme://host[:port]}, the port defaulting to the scheme's), connected
     * to at {@code address} when DNS discovery found one (an IP literal), else at the URL's host.
     */
    static Endpoint of(String url, String address) {
        HostUrl u = HostUrl.parse(url);
        String host = u.host();
        String name = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        boolean defaultPort = u.port() == (u.tls() ? 443 : 80);
        return new Endpoint(address != null ? address : name, u.port(), u.tls(), name,
                defaultPort ? host : host + ":" + u.port());
    }

    /** What to connect to: the discovered address, else the URL's host (an IPv6 literal without brackets). */
    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    public boolean tls() {
        return tls;
    }

    /** The URL's host (an IPv6 literal without brackets), never a discovered address. */
    public String name() {
        return name;
    }

    /** The name TLS verifies and sends as SNI: the URL's host; null for plain HTTP. */
    public String serverName() {
        return tls ? name : null;
    }

    /** The URL's {@code host[:port]}, the port left out when it is the scheme's default: pass_host node's Host. */
    public String authority() {
        return authority;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Endpoint e && port == e.port && tls == e.tls && address.equals(e.address)
                && Objects.equals(serverName(), e.serverName());
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return (tls ? "https://" : "http://") + authority + (address.equals(name) ? "" : " at " + address);
    }
}
