package io.gatehouse.proxy;

import io.vertx.core.http.HttpServerRequest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Who the client is when Gatehouse runs behind load balancers ({@code gatehouse.proxy.trusted-proxies}):
 * the peer, unless the peer is one of these; then the right-most X-Forwarded-For entry that is not one of
 * them, walking from the peer leftwards. This is nginx's {@code set_real_ip_from} with
 * {@code real_ip_recursive on} and Kong's {@code trusted_ips}: entries a client wrote itself sit to the left
 * of what a trusted hop appended, so they are reached only through an untrusted one, and a client cannot
 * choose its own address. An entry that is not an IP address ends the walk at the last trusted hop.
 *
 * <p>The client address keys {@code consistent_hash} on {@code ip} and is the access log's client; the
 * X-Forwarded-For sent to the backend is the chain as received plus the peer, whatever is trusted.
 */
public final class TrustedProxies {
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private record Range(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /**
     * Addresses and CIDR ranges, IPv4 or IPv6 ({@code 10.0.0.0/8}, {@code 192.168.1.7}, {@code fd00::/8}).
     *
     * @throws IllegalArgumentException naming the entry that is neither
     */
    public static TrustedProxies of(List<String> entries) {
        List<Range> ranges = new ArrayList<>();
        for (String raw : entries) {
            String e = raw.trim();
            if (e.isEmpty()) {
                continue;
            }
            int slash = e.indexOf('/');
            byte[] address = literal(slash < 0 ? e : e.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("gatehouse.proxy.trusted-proxies: '" + e
                        + "' is not an IP address or CIDR range (10.0.0.0/8, fd00::/8)");
            }
            int bits = address.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                String p = e.substring(slash + 1);
                prefix = p.matches("\\d{1,3}") ? Integer.parseInt(p) : -1;
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("gatehouse.proxy.trusted-proxies: '" + e
                            + "' has a prefix length outside 0-" + bits);
                }
            }
            ranges.add(new Range(address, prefix));
        }
        return new TrustedProxies(ranges);
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** The client's address of {@code req} from {@code peer}, its peer's: see the class comment. Null only when the peer is. */
    String clientIp(HttpServerRequest req, String peer) {
        if (ranges.isEmpty() || peer == null || !trusted(literal(peer))) {
            return peer;
        }
        return clientIp(peer, req.headers().getAll(Headers.X_FORWARDED_FOR));
    }

    /** The walk alone: {@code peer} is trusted, {@code forwardedFor} the header's values in order. */
    String clientIp(String peer, List<String> forwardedFor) {
        List<String> chain = new ArrayList<>();
        for (String value : forwardedFor) {
            for (String entry : value.split(",")) {
                chain.add(entry.trim());
            }
        }
        String client = peer;
        for (int i = chain.size() - 1; i >= 0; i--) {
            String entry = stripPort(chain.get(i));
            byte[] address = literal(entry);
            if (address == null) {
                return client;
            }
            client = text(address);
            if (!trusted(address)) {
                return client;
            }
        }
        return client;
    }

    private boolean trusted(byte[] address) {
        if (address == null) {
            return false;
        }
        for (Range r : ranges) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** {@code [v6]:port}, {@code [v6]}, {@code v4:port}: the address part. */
    private static String stripPort(String entry) {
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            return close < 0 ? entry : entry.substring(1, close);
        }
        int colon = entry.indexOf(':');
        return colon > 0 && entry.indexOf(':', colon + 1) < 0 ? entry.substring(0, colon) : entry;
    }

    /**
     * The bytes of an IP literal, or null. Never a DNS lookup: InetAddress parses a string with a colon that
     * starts with a hex digit or colon as an IPv6 literal or fails; anything else is parsed here as dotted IPv4.
     */
    private static byte[] literal(String s) {
        if (s == null || s.isEmpty() || s.length() > 45) {
            return null;
        }
        if (s.indexOf(':') >= 0) {
            if (!s.matches("[0-9a-fA-F:][0-9a-fA-F:.]*")) {
                return null;
            }
            try {
                return InetAddress.getByName(s).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] address = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!parts[i].matches("\\d{1,3}") || Integer.parseInt(parts[i]) > 255) {
                return null;
            }
            address[i] = (byte) Integer.parseInt(parts[i]);
        }
        return address;
    }

    /** An address as text the way Vert.x writes the peer's (InetAddress's form). */
    private static String text(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
