package io.gatehouse.auth;

import io.gatehouse.database.EmbeddedDatabase;
import io.gatehouse.GatehouseConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Refuses to start a production console on a published or weak secret: the bootstrap admin's password, the
 * session cookie key, and with OIDC on the client secret and the keys of the state and session cookies.
 * "Production" is the packaged application on an external PostgreSQL; on the embedded database (a laptop:
 * README's quick start) and in dev and test mode the same findings are only logged, so the documented
 * example commands keep working where they are meant to. Proxy-only instances hold none of these secrets.
 */
@ApplicationScoped
public class StartupSecrets {
    private static final Logger LOG = Logger.getLogger(StartupSecrets.class);

    static final String GENERATE = "openssl rand -base64 32";
    /** OWASP ASVS 4.0, V2.1.1: passwords of at least 12 characters. */
    static final int MIN_PASSWORD = 12;
    /**
     * 256 bits: Quarkus derives the OIDC state cookie's key from the client secret only when it has 32+
     * characters (else it makes a random key per instance, so a sign-in that returns to another replica
     * fails), and warns below 32 for the session cookie keys.
     */
    static final int MIN_KEY = 32;

    /**
     * Every value printed in README.md, docs/ and deploy/ as a password or secret, and the usual
     * placeholders. StartupSecretsTest finds each printed one and checks it is here.
     */
    static final Set<String> PUBLISHED = Set.of("change-me-now", "admin-password-1", "replace-me", "replace-me-too",
            "replace-with-32-random-characters", "gatehouse-console-dev-secret", "gatehouse-dev-only", "demo-password",
            "admin", "password", "changeme", "change-me", "secret", "changeit");
    private static final Pattern PLACEHOLDER = Pattern.compile("(?i)^(replace|change)[-_ ]?(me|with|this)(?![a-z]).*");

    private static final String NOT_SET = " is not set";

    static final String ADMIN_PASSWORD = "gatehouse.bootstrap-admin.password";
    static final String SESSION_KEY = "quarkus.http.auth.session.encryption-key";
    static final String OIDC_ENABLED = "quarkus.oidc.tenant-enabled";
    static final String CLIENT_SECRET = "quarkus.oidc.credentials.secret";
    static final String STATE_SECRET = "quarkus.oidc.authentication.state-secret";
    static final String TOKEN_SECRET = "quarkus.oidc.token-state-manager.encryption-secret";

    void check(@Observes @Priority(1) StartupEvent event, GatehouseConfig config) {
        if (config.mode() != GatehouseConfig.Mode.FULL) {
            return;
        }
        Config c = ConfigProvider.getConfig();
        Function<String, Optional<String>> settings = name -> c.getOptionalValue(name, String.class).filter(v -> !v.isBlank());
        boolean production = LaunchMode.current() == LaunchMode.NORMAL && !EmbeddedDatabase.startedInThisProcess();
        if (production) {
            List<String> problems = problems(settings);
            if (!problems.isEmpty()) {
                throw new IllegalStateException(refusal(problems));
            }
            return;
        }
        // One instance on a laptop or in a test needs no shared keys (Quarkus warns about a random session key
        // itself); what is worth a warning there is a published or short value that was set.
        for (String p : problems(settings).stream().filter(p -> !p.contains(NOT_SET)).toList()) {
            LOG.warnf("%s. Accepted on the embedded database and in dev/test mode only; refused on an external "
                    + "PostgreSQL. Generate one with: %s", p, GENERATE);
        }
    }

    static String refusal(List<String> problems) {
        return "Refusing to start with unsafe secrets (docs/operations.md, \"Secrets\"):\n  - "
                + String.join("\n  - ", problems)
                + "\nGenerate each one with `" + GENERATE + "` and give every console instance the same values.";
    }

    /** What is wrong with the secrets {@code settings} gives (empty: nothing). */
    static List<String> problems(Function<String, Optional<String>> settings) {
        List<String> out = new ArrayList<>();
        settings.apply(ADMIN_PASSWORD).ifPresent(v -> weak(out, ADMIN_PASSWORD, v, MIN_PASSWORD));
        Optional<String> sessionKey = settings.apply(SESSION_KEY);
        sessionKey.ifPresentOrElse(v -> weak(out, SESSION_KEY, v, MIN_KEY), () -> out.add(env(SESSION_KEY)
                + NOT_SET + ": each console would encrypt sessions with its own random key, so a sign-in ends at a"
                + " restart and is unknown to the other replicas"));
        if (settings.apply(OIDC_ENABLED).map(Boolean::parseBoolean).orElse(false)) {
            Optional<String> client = settings.apply(CLIENT_SECRET);
            client.ifPresent(v -> weak(out, CLIENT_SECRET, v, MIN_KEY));
            for (String key : List.of(STATE_SECRET, TOKEN_SECRET)) {
                Optional<String> own = settings.apply(key);
                own.ifPresent(v -> weak(out, key, v, MIN_KEY));
                if (own.isEmpty() && client.isEmpty()) {
                    out.add(env(key) + NOT_SET + " and there is no client secret to derive it from: each console"
                            + " would make its own random key, so a sign-in that returns to another replica fails");
                }
            }
        }
        return out;
    }

    private static void weak(List<String> out, String name, String value, int min) {
        if (published(value)) {
            out.add(env(name) + " is a published example or placeholder (README, docs/ or deploy/): anyone can use it");
        } else if (value.length() < min) {
            out.add(env(name) + " has " + value.length() + " characters; at least " + min + " are needed");
        }
    }

    static boolean published(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        return PUBLISHED.contains(v) || PLACEHOLDER.matcher(v).matches();
    }

    /** The environment variable an operator sets for a property (MicroProfile Config's mapping). */
    static String env(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
