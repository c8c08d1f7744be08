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

    private static void collectGroups(String parent, JsonNode groups, Set<String> out) {
        for (JsonNode g : groups) {
            String path = parent + "/" + g.path("name").asText();
            out.add(path);
            collectGroups(path, g.path("subGroups"), out);
        }
    }
}
