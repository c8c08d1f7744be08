package io.gatehouse.balance;

import java.util.Locale;
import java.util.Objects;

/**
 * How consistent hash keys a request ({@code hash} in a backend config): a header, a cookie, the path
 * or the client IP, and the ring's points per unit of weight. A request without the key falls back to
 * the client IP ({@link #source()}).
 */
public record HashKey(On on, String name, int replicas) {

    public static final int DEFAULT_REPLICAS = 150;
    public static final int MAX_REPLICAS = 1000;
    /** The default when a consistent-hash config names no key: the client IP. */
    public static final HashKey CLIENT_IP = new HashKey(On.IP, null, DEFAULT_REPLICAS);

    public enum On {
        HEADER, COOKIE, PATH, IP;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static java.util.List<String> wireNames() {
            return java.util.Arrays.stream(values()).map(On::wireName).toList();
        }

        /** The source {@code wireName} names, or null when it names none. */
        public static On find(String wireName) {
            for (On on : values()) {
                if (on.wireName().equals(wireName)) {
                    return on;
                }
            }
            return null;
        }

        public static On fromWireName(String wireName) {
            On on = find(wireName);
            if (on == null) {
                throw new IllegalArgumentException("unknown hash.on '" + wireName + "', expected "
                        + String.join(", ", wireNames()));
            }
            return on;
        }
    }

    public HashKey {
        Objects.requireNonNull(on, "on");
        if ((on == On.HEADER || on == On.COOKIE) && (name == null || name.isBlank())) {
            throw new IllegalArgumentException("hash on " + on.wireName() + " needs a name");
        }
        if (on == On.PATH || on == On.IP) {
            name = null;
        }
        if (replicas < 1 || replicas > MAX_REPLICAS) {
            throw new IllegalArgumentException("replicas must be 1-" + MAX_REPLICAS + ", got: " + replicas);
        }
    }

    /** The request's key: the configured attribute, else the client IP. */
    public KeySource source() {
        String n = name;
        KeySource own = switch (on) {
            case HEADER -> request -> request.header(n);
            case COOKIE -> request -> request.cookie(n);
            case PATH -> RequestAttributes::path;
            case IP -> KeySource.CLIENT_IP;
        };
        return on == On.IP ? own : own.orElse(KeySource.CLIENT_IP);
    }
}
