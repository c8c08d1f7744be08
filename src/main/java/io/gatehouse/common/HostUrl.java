package io.gatehouse.common;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A backend host as the design defines it: {@code scheme://host[:port]}, scheme http or https, host a
 * domain, an IPv4 address or a bracketed IPv6 address; never a path, query, fragment or user info.
 * Parsed by hand rather than with {@link java.net.URI}, which accepts far more than we allow and
 * would give vaguer errors.
 */
public record HostUrl(String scheme, String host, int port) {

    private static final Pattern SHAPE = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://(\\[[^\\]]*\\]|[^:/?#@\\[\\]]*)(?::([0-9]*))?$");
    private static final Pattern LABEL = Pattern.compile("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$");
    private static final Pattern IPV4_LIKE = Pattern.compile("^[0-9.]+$");

    /** The canonical form: lower-case scheme and host, the port always present. */
    public String canonical() {
        return scheme + "://" + host + ":" + port;
    }

    public boolean tls() {
        return scheme.equals("https");
    }

    /** Parses a valid URL; call {@link #problem(String)} first for input that may be bad. */
    public static HostUrl parse(String url) {
        String problem = problem(url);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        Matcher m = SHAPE.matcher(url);
        m.matches();
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        String host = m.group(2).toLowerCase(Locale.ROOT);
        int port = m.group(3) == null ? (scheme.equals("https") ? 443 : 80) : Integer.parseInt(m.group(3));
        return new HostUrl(scheme, host, port);
    }

    /** What is wrong with a host URL, in words a user can act on, or null when it is valid. */
    public static String problem(String url) {
        if (url == null || url.isBlank()) {
            return "is required";
        }
        if (url.length() > 300) {
            return "must be at most 300 characters";
        }
        int sep = url.indexOf("://");
        if (sep < 0) {
            return "must look like scheme://host[:port], e.g. http://10.0.0.1:8000";
        }
        String scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "scheme must be http or https";
        }
        String rest = url.substring(sep + 3);
        if (rest.contains("@")) {
            return "must not contain user info";
        }
        if (rest.contains("?")) {
            return "must not contain a query";
        }
        if (rest.contains("#")) {
            return "must not contain a fragment";
        }
        if (rest.contains("/")) {
            return "must not contain a path (only scheme://host[:port])";
        }
        Matcher m = SHAPE.matcher(url);
        if (!m.matches()) {
            return "must look like scheme://host[:port], e.g. http://10.0.0.1:8000";
        }
        String hostProblem = hostProblem(m.group(2));
        if (hostProblem != null) {
            return hostProblem;
        }
        if (m.group(3) != null) {
            String port = m.group(3);
            if (port.isEmpty() || port.length() > 5 || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
                return "port must be a number from 1 to 65535";
            }
        }
        return null;
    }

    /** Checks a bare host (domain, IPv4, or [IPv6]); null when valid. Also used for upstream_host. */
    public static String hostProblem(String host) {
        if (host.isEmpty()) {
            return "host is missing";
        }
        if (host.startsWith("[")) {
            return ipv6Problem(host.substring(1, host.length() - 1));
        }
        if (IPV4_LIKE.matcher(host).matches()) {
            return ipv4Problem(host);
        }
        if (host.length() > 253) {
            return "host name must be at most 253 characters";
        }
        String trimmed = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        for (String label : trimmed.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return "host '" + host + "' is not a valid domain name or IP address";
            }
        }
        return null;
    }

    private static String ipv4Problem(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return "host '" + host + "' is not a valid IPv4 address";
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255) {
                return "host '" + host + "' is not a valid IPv4 address";
            }
        }
        return null;
    }

    private static String ipv6Problem(String literal) {
        // Hex groups and colons only (an embedded IPv4 tail is allowed); parsed without any DNS lookup.
        if (literal.isEmpty() || !literal.matches("[0-9A-Fa-f:.]+") || !literal.contains(":")) {
            return "host '[" + literal + "]' is not a valid IPv6 address";
        }
        try {
            // Parses the literal only; an IPv4-mapped address (::ffff:a.b.c.d) comes back as Inet4Address.
            java.net.InetAddress.getByName("[" + literal + "]");
            return null;
        } catch (java.net.UnknownHostException e) {
            return "host '[" + literal + "]' is not a valid IPv6 address";
        }
    }
}
