package io.gatehouse.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.gatehouse.auth.StartupSecrets.ADMIN_PASSWORD;
import static io.gatehouse.auth.StartupSecrets.CLIENT_SECRET;
import static io.gatehouse.auth.StartupSecrets.OIDC_ENABLED;
import static io.gatehouse.auth.StartupSecrets.SESSION_KEY;
import static io.gatehouse.auth.StartupSecrets.STATE_SECRET;
import static io.gatehouse.auth.StartupSecrets.TOKEN_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up rules for secrets, and that every secret printed in README, docs/ and deploy/ is refused by them. */
class StartupSecretsTest {
    private static final String KEY = "q8W1uYx0cJ2m4r5T6vB7nA9sD3fG5hJ7kL1zX3cV5bN=";   // 44 characters, like openssl rand -base64 32
    private static final String KEY2 = "Zk3b9Qm2Vd8Lw1Hs6Jt4Rn0Xp7Cy5Fg2Ea8Ub1Oi6Mq=";

    private static List<String> problems(Map<String, String> settings) {
        return StartupSecrets.problems(name -> Optional.ofNullable(settings.get(name)));
    }

    private static Map<String, String> safe() {
        Map<String, String> m = new HashMap<>();
        m.put(ADMIN_PASSWORD, "Vq7-tR2m-pX9w");
        m.put(SESSION_KEY, KEY);
        return m;
    }

    @Test
    void generatedSecretsPass() {
        assertEquals(List.of(), problems(safe()));
        Map<String, String> oidc = safe();
        oidc.put(OIDC_ENABLED, "true");
        oidc.put(CLIENT_SECRET, KEY2);
        assertEquals(List.of(), problems(oidc));
        Map<String, String> noAdmin = safe();
        noAdmin.remove(ADMIN_PASSWORD);
        assertEquals(List.of(), problems(noAdmin), "no bootstrap admin is no weak one");
    }

    @Test
    void eachRuleNamesTheVariableAndWhatIsWrong() {
        Map<String, String> s = safe();
        s.put(ADMIN_PASSWORD, "change-me-now");
        assertEquals(List.of("GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD is a published example or placeholder (README, docs/ or deploy/): anyone can use it"),
                problems(s));
        s.put(ADMIN_PASSWORD, "Vq7-tR2m-pX9");
        assertEquals(List.of(), problems(s), "12 characters are enough");
        s.put(ADMIN_PASSWORD, "Vq7-tR2m-pX");
        assertEquals(List.of("GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD has 11 characters; at least 12 are needed"), problems(s));

        s = safe();
        s.put(SESSION_KEY, "replace-with-32-random-characters");
        assertEquals(List.of("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY is a published example or placeholder (README, docs/ or deploy/): anyone can use it"),
                problems(s));
        s.put(SESSION_KEY, KEY.substring(0, 31));
        assertEquals(List.of("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY has 31 characters; at least 32 are needed"), problems(s));
        s.put(SESSION_KEY, KEY.substring(0, 32));
        assertEquals(List.of(), problems(s));
        s.remove(SESSION_KEY);
        List<String> missing = problems(s);
        assertEquals(1, missing.size());
        assertTrue(missing.get(0).startsWith("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY is not set"), missing.get(0));
    }

    @Test
    void oidcSecretsCountOnlyWithOidcOnAndTheStateKeyMustBeTheSameOnEveryReplica() {
        Map<String, String> s = safe();
        s.put(CLIENT_SECRET, "gatehouse-console-dev-secret");
        s.put(OIDC_ENABLED, "false");
        assertEquals(List.of(), problems(s), "OIDC off: its settings are unused");
        s.put(OIDC_ENABLED, "true");
        assertEquals(List.of("QUARKUS_OIDC_CREDENTIALS_SECRET is a published example or placeholder (README, docs/ or deploy/): anyone can use it"),
                problems(s));
        // 28 characters like the old dev realm's: Quarkus would make a random state key per instance.
        s.put(CLIENT_SECRET, KEY.substring(0, 28));
        assertEquals(List.of("QUARKUS_OIDC_CREDENTIALS_SECRET has 28 characters; at least 32 are needed"), problems(s));
        // No client secret at all (e.g. private_key_jwt): both cookie keys must be given, the same everywhere.
        s.remove(CLIENT_SECRET);
        List<String> p = problems(s);
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("QUARKUS_OIDC_AUTHENTICATION_STATE_SECRET is not set and there is no client secret"), p.get(0));
        assertTrue(p.get(1).startsWith("QUARKUS_OIDC_TOKEN_STATE_MANAGER_ENCRYPTION_SECRET is not set"), p.get(1));
        s.put(STATE_SECRET, KEY);
        s.put(TOKEN_SECRET, "short-one");
        assertEquals(List.of("QUARKUS_OIDC_TOKEN_STATE_MANAGER_ENCRYPTION_SECRET has 9 characters; at least 32 are needed"), problems(s));
        s.put(TOKEN_SECRET, KEY2);
        assertEquals(List.of(), problems(s));
    }

    @Test
    void placeholdersAreRecognisedWhateverTheirCase() {
        for (String v : List.of("Change-Me-Now", " replace-me ", "REPLACE_ME_WITH_A_KEY", "change-this-password-please", "changeit")) {
            assertTrue(StartupSecrets.published(v), v);
        }
        assertFalse(StartupSecrets.published(KEY));
        assertFalse(StartupSecrets.published("exchange-me-for-a-real-one"), "only a leading replace/change marks a placeholder");
    }

    @Test
    void theRefusalListsEveryProblemAndHowToGenerate() {
        String message = StartupSecrets.refusal(List.of("A is wrong", "B is wrong"));
        assertEquals("""
                Refusing to start with unsafe secrets (docs/operations.md, "Secrets"):
                  - A is wrong
                  - B is wrong
                Generate each one with `openssl rand -base64 32` and give every console instance the same values.""", message);
    }

    /**
     * Every password or secret value that README.md, docs/ and deploy/ print is one the rules refuse, and deploy/
     * itself ships none that would pass: the Kubernetes Secret's secret values are empty, compose has no default for
     * any, and the realm takes the client secret from the environment.
     */
    @Test
    void everySecretPrintedInTheRepositoryIsRefused() throws IOException {
        Set<String> printed = new TreeSet<>();
        List<Pattern> patterns = List.of(
                Pattern.compile("(?:PASSWORD|SECRET|_KEY)=([^\\s'\"`)]+)"),
                Pattern.compile("-u admin:([^\\s'\"`]+)"),
                Pattern.compile("password=([^\\s'\"`&]+)"),
                Pattern.compile("\"type\": \"password\", \"value\": \"([^\"]+)\""),
                Pattern.compile("`(?:admin|demo)` / `([^`]+)`"),
                Pattern.compile("(?:admin|demo) / ([a-z0-9-]+)"));
        List<Path> files;
        try (Stream<Path> docs = Files.walk(Path.of("docs")); Stream<Path> deploy = Files.walk(Path.of("deploy"))) {
            files = Stream.concat(Stream.of(Path.of("README.md"), Path.of("src/main/resources/application.properties")),
                    Stream.concat(docs, deploy)).filter(Files::isRegularFile)
                    .filter(f -> f.toString().matches(".*\\.(md|yaml|json|properties)$")).toList();
        }
        for (Path f : files) {
            String text = Files.readString(f);
            for (Pattern p : patterns) {
                Matcher m = p.matcher(text);
                while (m.find()) {
                    String v = m.group(1);
                    if (!v.startsWith("$") && !v.startsWith("...") && !v.startsWith("<")) {
                        printed.add(v);
                    }
                }
            }
        }
        Matcher test = Pattern.compile("(?m)^%test\\.gatehouse\\.bootstrap-admin\\.password=(.+)$")
                .matcher(Files.readString(Path.of("src/main/resources/application.properties")));
        if (test.find()) {
            printed.add(test.group(1).strip());
        }
        assertTrue(printed.containsAll(List.of("change-me-now", "demo-password", "admin-password-1")), printed.toString());
        for (String v : printed) {
            assertTrue(StartupSecrets.published(v), "printed in the repository but not refused at start-up: " + v);
        }

        JsonNode realm = new ObjectMapper().readTree(Path.of("deploy/keycloak/gatehouse-realm.json").toFile());
        for (JsonNode c : realm.path("clients")) {
            if (c.has("secret")) {
                assertTrue(c.path("secret").asText().matches("\\$\\{[A-Z_]+}"),
                        c.path("clientId").asText() + "'s secret comes from the environment, not the file");
            }
        }
    }
}
