package io.gatehouse.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/** What the application listens on, from its own config, for comparing with the deployment files. */
final class AppPorts {
    /** quarkus.http.port: Quarkus's default, which application.properties must not change (checked). */
    static final int HTTP = httpPort();
    static final int PROXY = Integer.parseInt(ConfigProperties.gatehouse().get("gatehouse.proxy.port"));
    /** SmallRye Health's endpoints under the default root path /q. */
    static final Set<String> HEALTH_PATHS = Set.of("/q/health", "/q/health/live", "/q/health/ready",
            "/q/health/started");

    private AppPorts() {
    }

    private static int httpPort() {
        try {
            String props = Files.readString(Path.of("src/main/resources/application.properties"));
            if (props.lines().anyMatch(l -> l.startsWith("quarkus.http.port") || l.startsWith("quarkus.http.root-path")
                    || l.startsWith("quarkus.http.non-application-root-path") || l.startsWith("quarkus.smallrye-health."))) {
                throw new AssertionError("application.properties moves the HTTP port or the health paths: update AppPorts");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return 8080;
    }

    /** The proxy's drain bound in seconds: {@code value} if set, else gatehouse.proxy.shutdown-timeout's default. */
    static long shutdownTimeoutSeconds(String value) {
        String v = value != null ? value : ConfigProperties.gatehouse().get("gatehouse.proxy.shutdown-timeout");
        return v == null ? 0 : duration(v).toSeconds();
    }

    /** SmallRye's duration forms: ISO-8601 or a number with ms, s, m, h, d (plain number = seconds). */
    static Duration duration(String v) {
        String s = v.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("p")) {
            return Duration.parse(s.toUpperCase(Locale.ROOT));
        }
        if (s.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        char unit = s.charAt(s.length() - 1);
        if (Character.isDigit(unit)) {
            return Duration.ofSeconds(Long.parseLong(s));
        }
        long n = Long.parseLong(s.substring(0, s.length() - 1));
        return switch (unit) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("not a duration: " + v);
        };
    }
}
