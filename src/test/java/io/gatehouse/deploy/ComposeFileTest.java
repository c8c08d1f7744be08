package io.gatehouse.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.gatehouse.deploy.Manifests.at;
import static io.gatehouse.deploy.Manifests.list;
import static io.gatehouse.deploy.Manifests.map;
import static io.gatehouse.deploy.Manifests.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy/compose.yaml, the Dockerfile and the Keycloak realm, parsed and checked against each other and the code. */
class ComposeFileTest {
    private final Map<String, Object> compose = Manifests.compose();
    private final Map<String, Map<String, Object>> gatehouse = Manifests.gatehouseServices(compose);

    private Map<String, Object> service(String name) {
        return map(at(compose, "services", name), name);
    }

    @Test
    void oneFullAndTwoProxyOnlyInstancesWithUniqueIds() {
        List<String> modes = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        gatehouse.forEach((name, s) -> {
            Map<String, String> env = Manifests.environment(s);
            modes.add(env.getOrDefault("GATEHOUSE_MODE", "full"));
            assertTrue(ids.add(env.get("GATEHOUSE_INSTANCE_ID")), name + " has its own GATEHOUSE_INSTANCE_ID");
        });
        modes.sort(null);
        assertEquals(List.of("full", "proxy-only", "proxy-only"), modes);
    }

    @Test
    void everyInstanceUsesThePostgresServiceWithItsCredentials() {
        Map<String, String> pg = Manifests.environment(service("postgres"));
        assertTrue(str(service("postgres"), "image").matches("postgres:17(\\..*)?"), "PostgreSQL 17");
        String url = "jdbc:postgresql://postgres:5432/" + pg.get("POSTGRES_DB");
        gatehouse.forEach((name, s) -> {
            Map<String, String> env = Manifests.environment(s);
            assertEquals(url, env.get("QUARKUS_DATASOURCE_JDBC_URL"), name);
            assertEquals(pg.get("POSTGRES_USER"), env.get("QUARKUS_DATASOURCE_USERNAME"), name);
            assertEquals(pg.get("POSTGRES_PASSWORD"), env.get("QUARKUS_DATASOURCE_PASSWORD"), name);
            assertEquals("service_healthy", str(s, "depends_on", "postgres", "condition"), name + " waits for the database");
        });
    }

    @Test
    void envNamesAreRealSettings() {
        gatehouse.forEach((name, s) -> Manifests.environment(s).keySet().forEach(env -> EnvNames.assertKnown(env, name)));
        Set<String> modes = Set.of("full", "proxy-only");
        gatehouse.forEach((name, s) -> {
            String mode = Manifests.environment(s).get("GATEHOUSE_MODE");
            assertTrue(mode == null || modes.contains(mode), name + ": GATEHOUSE_MODE " + mode);
        });
    }

    @Test
    void healthchecksAskForReadinessOnTheManagementPort() {
        gatehouse.forEach((name, s) -> {
            String test = String.join(" ", list(at(s, "healthcheck", "test"), "test").stream().map(String::valueOf).toList());
            assertTrue(test.contains("/" + AppPorts.HTTP + " ") || test.contains(":" + AppPorts.HTTP + "/"),
                    name + " healthcheck uses port " + AppPorts.HTTP + ": " + test);
            assertTrue(test.contains("/q/health/ready"), name + " healthcheck asks /q/health/ready: " + test);
        });
    }

    @Test
    void publishedPortsAreApplicationPortsAndDoNotCollide() {
        Set<String> hostPorts = new HashSet<>();
        for (Object s : map(compose.get("services"), "services").values()) {
            for (Object p : list(at(s, "ports"), "ports")) {
                String[] parts = String.valueOf(p).split(":");
                assertTrue(hostPorts.add(parts[parts.length - 2]), "host port " + p + " published twice");
            }
        }
        gatehouse.forEach((name, s) -> {
            for (Object p : list(s.get("ports"), "ports")) {
                String[] parts = String.valueOf(p).split(":");
                int container = Integer.parseInt(parts[parts.length - 1]);
                assertTrue(container == AppPorts.HTTP || container == AppPorts.PROXY, name + " publishes " + p);
            }
            assertFalse(list(s.get("ports"), "ports").isEmpty(), name + " publishes its proxy port");
        });
    }

    @Test
    void exactlyOneServiceBuildsTheImageWithTheDockerfile() throws IOException {
        List<String> builders = gatehouse.entrySet().stream().filter(e -> e.getValue().get("build") != null)
                .map(Map.Entry::getKey).toList();
        assertEquals(1, builders.size(), "one service builds, the others reuse its image: " + builders);
        gatehouse.forEach((name, s) -> {
            assertEquals(Manifests.IMAGE_REPOSITORY + ":local", str(s, "image"), name + " runs the locally built image");
            if (!builders.contains(name)) {
                assertEquals("never", str(s, "pull_policy"), name + " never pulls an image of that name from a registry");
            }
        });
        Map<String, Object> build = map(gatehouse.get(builders.get(0)).get("build"), "build");
        Path context = Manifests.COMPOSE.getParent().resolve(String.valueOf(build.get("context"))).normalize();
        Path dockerfile = context.resolve(String.valueOf(build.get("dockerfile")));
        assertEquals(Manifests.ROOT.resolve("src/main/docker/Dockerfile.jvm"), dockerfile);
        String text = Files.readString(dockerfile);
        assertTrue(text.lines().anyMatch(l -> l.strip().equals("EXPOSE " + AppPorts.HTTP + " " + AppPorts.PROXY)), "EXPOSE 8080 8000");
        String user = text.lines().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow().substring(5).strip();
        assertFalse(user.equals("0") || user.equals("root"), "runs as a non-root user");
        assertTrue(text.contains("target/quarkus-app/lib/") && text.contains("target/quarkus-app/quarkus/"),
                "copies the fast-jar layout");
    }

    @Test
    void keycloakImportsTheGatehouseRealm() throws IOException {
        Map<String, Object> kc = service("keycloak");
        assertTrue(str(kc, "image").matches("quay.io/keycloak/keycloak:26(\\..*)?"), "Keycloak 26.x");
        List<Object> command = list(kc.get("command"), "command");
        assertTrue(command.contains("start-dev") && command.contains("--import-realm"), "start-dev --import-realm");
        String mount = list(kc.get("volumes"), "volumes").stream().map(String::valueOf)
                .filter(v -> v.contains("/opt/keycloak/data/import")).findFirst().orElseThrow();
        Path realmDir = Manifests.COMPOSE.getParent().resolve(mount.split(":")[0]).normalize();
        assertEquals(Manifests.ROOT.resolve("deploy/keycloak"), realmDir);
        JsonNode realm = new ObjectMapper().readTree(realmDir.resolve("gatehouse-realm.json").toFile());
        assertEquals("gatehouse", realm.path("realm").asText());
        JsonNode console = null;
        JsonNode cli = null;
        for (JsonNode c : realm.path("clients")) {
            if (c.path("clientId").asText().equals("gatehouse-console")) {
                console = c;
            } else if (c.path("clientId").asText().equals("gatehouse-cli")) {
                cli = c;
            }
        }
        assertNotNull(console, "client gatehouse-console");
        assertFalse(console.path("publicClient").asBoolean(true), "gatehouse-console is confidential");
        assertNotNull(cli, "client gatehouse-cli");
        assertTrue(cli.path("publicClient").asBoolean(), "gatehouse-cli is public");
        for (JsonNode c : List.of(console, cli)) {
            boolean groups = false;
            for (JsonNode m : c.path("protocolMappers")) {
                groups |= m.path("protocolMapper").asText().equals("oidc-group-membership-mapper")
                        && m.path("config").path("full.path").asText().equals("true");
            }
            assertTrue(groups, c.path("clientId").asText() + " puts full group paths (/teams/{team}/{role}) in tokens");
        }
        Set<String> groupPaths = new HashSet<>();
        collectGroups("", realm.path("groups"), groupPaths);
        assertTrue(groupPaths.containsAll(List.of("/teams/payments/owner", "/teams/payments/maintainer",
                "/teams/payments/viewer")), groupPaths.toString());
        JsonNode demo = realm.path("users").get(0);
        assertEquals("demo", demo.path("username").asText());
        for (JsonNode g : demo.path("groups")) {
            assertTrue(groupPaths.contains(g.asText()), "demo's group " + g + " exists");
        }
    }

    /** Compose ships no secret: each is a required variable, and the documented generator writes exactly those. */
    @Test
    void secretsAreRequiredVariablesThatTheDocumentedDotEnvProvides() throws IOException {
        Set<String> required = Manifests.requiredVariables();
        map(compose.get("services"), "services").forEach((name, s) -> Manifests.environment(map(s, name)).forEach((k, v) -> {
            if (k.matches(".*(PASSWORD|SECRET|_KEY)$")) {
                assertTrue(v != null && v.matches("\\$\\{[A-Z0-9_]+:\\?[^}]+}"), name + ": " + k + " has no default: " + v);
            }
        }));
        Pattern generator = Pattern.compile("for v in ([A-Z0-9_ \\\\#\n]+); do echo \"\\$v=\\$\\(openssl rand -base64 32\\)\"; done > deploy/\\.env");
        for (Path doc : List.of(Manifests.COMPOSE, Manifests.ROOT.resolve("docs/operations.md"))) {
            Matcher m = generator.matcher(Files.readString(doc));
            assertTrue(m.find(), doc + " shows how to generate deploy/.env");
            Set<String> generated = new java.util.LinkedHashSet<>(List.of(m.group(1).replaceAll("[\\\\#\n]", " ").strip().split("\\s+")));
            assertEquals(required, generated, doc + ": the generated deploy/.env holds exactly what compose requires");
        }
        assertTrue(Files.readString(Manifests.ROOT.resolve(".gitignore")).lines().anyMatch("deploy/.env"::equals),
                "deploy/.env stays out of git");
    }

    /**
     * One issuer for the browser, the console and curl: Keycloak's hostname is the URL the host reaches it at, its
     * back-channel follows the address asked (Gatehouse's, in the compose network), and README's Keycloak steps use
     * that URL, the realm's public client, its demo user and the console's published port.
     */
    @Test
    void browserConsoleAndCliTokensAgreeOnOneIssuer() throws IOException {
        Map<String, Object> kc = service("keycloak");
        Map<String, String> kcEnv = Manifests.environment(kc);
        String hostPort = list(kc.get("ports"), "ports").stream().map(String::valueOf)
                .filter(p -> p.endsWith(":8080")).map(p -> p.split(":")[0]).findFirst().orElseThrow();
        String issuerBase = "http://localhost:" + hostPort;
        assertEquals(issuerBase, kcEnv.get("KC_HOSTNAME"), "KC_HOSTNAME is the URL browsers and curl on the host use");
        assertEquals("true", kcEnv.get("KC_HOSTNAME_BACKCHANNEL_DYNAMIC"), "back-channel URLs follow Gatehouse's address");

        JsonNode realm = new ObjectMapper().readTree(Manifests.ROOT.resolve("deploy/keycloak/gatehouse-realm.json").toFile());
        String realmName = realm.path("realm").asText();
        Map<String, Object> full = gatehouse.values().stream()
                .filter(s -> "full".equals(Manifests.environment(s).getOrDefault("GATEHOUSE_MODE", "full"))).findFirst().orElseThrow();
        Map<String, String> env = Manifests.environment(full);
        assertEquals("http://keycloak:8080/realms/" + realmName, env.get("QUARKUS_OIDC_AUTH_SERVER_URL"),
                "the console reaches Keycloak inside the compose network");
        assertEquals("service_healthy", str(full, "depends_on", "keycloak", "condition"), "the console waits for Keycloak");
        JsonNode console = null;
        for (JsonNode c : realm.path("clients")) {
            if (c.path("clientId").asText().equals(env.getOrDefault("QUARKUS_OIDC_CLIENT_ID", "gatehouse-console"))) {
                console = c;
            }
        }
        assertNotNull(console, "the console's client is in the realm");
        Matcher placeholder = Pattern.compile("\\$\\{([A-Z0-9_]+)}").matcher(console.path("secret").asText());
        assertTrue(placeholder.matches(), "the realm reads the client secret from the environment");
        assertEquals(env.get("QUARKUS_OIDC_CREDENTIALS_SECRET"), kcEnv.get(placeholder.group(1)),
                "Keycloak imports the same client secret the console presents");
        String consolePort = list(full.get("ports"), "ports").stream().map(String::valueOf)
                .filter(p -> p.endsWith(":" + AppPorts.HTTP)).map(p -> p.split(":")[0]).findFirst().orElseThrow();
        assertTrue(console.path("redirectUris").toString().contains("http://localhost:" + consolePort + "/*"),
                "the realm lets the browser come back to the published console");

        String readme = Files.readString(Manifests.ROOT.resolve("README.md"));
        Matcher token = Pattern.compile("curl -s (localhost:\\d+)/realms/([a-z-]+)/protocol/openid-connect/token -d grant_type=password \\\\\n"
                + "\\s+-d client_id=([a-z-]+) -d username=([a-z]+) -d password=([^ ]+) ").matcher(readme);
        assertTrue(token.find(), "README fetches a token with the password grant");
        assertEquals(issuerBase, "http://" + token.group(1), "README's token comes from the issuer's address");
        assertEquals(realmName, token.group(2));
        JsonNode cli = null;
        for (JsonNode c : realm.path("clients")) {
            if (c.path("clientId").asText().equals(token.group(3))) {
                cli = c;
            }
        }
        assertNotNull(cli, "README's client " + token.group(3) + " is in the realm");
        assertTrue(cli.path("publicClient").asBoolean() && cli.path("directAccessGrantsEnabled").asBoolean(),
                "README's client is public and allows the password grant");
        JsonNode user = null;
        for (JsonNode u : realm.path("users")) {
            if (u.path("username").asText().equals(token.group(4))) {
                user = u;
            }
        }
        assertNotNull(user, "README's user is in the realm");
        assertEquals(token.group(5), user.path("credentials").get(0).path("value").asText(), "README's password is the realm's");
        assertTrue(readme.contains("curl -H \"Authorization: Bearer $T\" localhost:" + consolePort + "/api/v1/"),
                "README calls the published console with the token");
    }

    private static void collectGroups(String parent, JsonNode groups, Set<String> out) {
        for (JsonNode g : groups) {
            String path = parent + "/" + g.path("name").asText();
            out.add(path);
            collectGroups(path, g.path("subGroups"), out);
        }
    }
}
