package io.gatehouse.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Keycloak ({@code keycloak-quarkus-dist}, unpacked into target/keycloak by the build) in dev mode on
 * a free loopback port, with the realm of deploy/keycloak/gatehouse-realm.json plus test users and
 * clients. One start serves every test class that uses it (the API tests and the browser test): each Quarkus
 * restart loads this class anew, so the running Keycloak is found through system properties, and it is
 * stopped when the test JVM exits, by the PID this process started.
 */
public class KeycloakResource implements QuarkusTestResourceLifecycleManager {
    static final String REALM = "gatehouse";
    /**
     * The console client's secret. The shipped realm reads it from GATEHOUSE_OIDC_CLIENT_SECRET at import; the test
     * realm gets it written in. 32+ characters, so Quarkus derives the state cookie key from it as in production.
     */
    static final String SECRET = "tests-only-console-client-secret-7f3a9c1e5b";
    static final String LOCAL_NAME_CLASH = "lena";
    static volatile String url;
    /** A fresh target/ pays Keycloak's one-off build step (about 90 s on a loaded 2-core machine) before the start. */
    private static final long START_TIMEOUT_MS = 300_000;
    /** Outside the gatehouse.* and quarkus.* namespaces, which the application's config would check. */
    private static final String RUNNING_URL = "keycloak-test.url";
    private static final String RUNNING_PID = "keycloak-test.pid";
    private static Process process;

    @Override
    public Map<String, String> start() {
        // One lock and one record for every class loader of this JVM.
        synchronized (System.getProperties()) {
            String running = System.getProperty(RUNNING_URL);
            long pid = Long.parseLong(System.getProperty(RUNNING_PID, "-1"));
            if (running == null || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                running = startKeycloak();
                System.setProperty(RUNNING_URL, running);
                System.setProperty(RUNNING_PID, Long.toString(process.pid()));
            }
            url = running;
            return Map.of("quarkus.oidc.auth-server-url", running, "quarkus.oidc.credentials.secret", SECRET);
        }
    }

    private static String startKeycloak() {
        Path home = Paths.get(System.getProperty("test.keycloak.home", "target/keycloak/keycloak-26.7.3"));
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("no Keycloak in " + home + ": run through Maven (./mvnw verify), which unpacks it");
        }
        try {
            writeRealm(home);
            deleteTree(home.resolve("data/h2"));
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            ProcessBuilder pb = new ProcessBuilder("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-port=" + port, "--http-host=127.0.0.1", "--import-realm")
                    .directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(home.resolveSibling("keycloak.log").toFile());
            Path jdk25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64");
            if (Files.isDirectory(jdk25)) {
                pb.environment().put("JAVA_HOME", jdk25.toString());
            }
            long t0 = System.nanoTime();
            process = pb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(KeycloakResource::stopKeycloak));
            String base = "http://127.0.0.1:" + port + "/realms/" + REALM;
            waitUntilReady(base + "/.well-known/openid-configuration");
            System.out.printf("Keycloak ready on port %d in %d ms (pid %d)%n", port,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), process.pid());
            return base;
        } catch (IOException e) {
            stopKeycloak();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            stopKeycloak();
            throw e;
        }
    }

    private static void waitUntilReady(String wellKnown) {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + "; see target/keycloak/keycloak.log");
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(wellKnown).toURL().openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("Keycloak not ready within " + START_TIMEOUT_MS + " ms; see target/keycloak/keycloak.log");
    }

    /** The deploy realm, plus users with other groups and clients for the wrong-audience and expiry cases. */
    private static void writeRealm(Path home) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode realm = (ObjectNode) json.readTree(Paths.get("deploy/keycloak/gatehouse-realm.json").toFile());
        ArrayNode users = (ArrayNode) realm.get("users");
        users.add(user(json, "vera", List.of("/teams/payments/viewer")));
        users.add(user(json, "nora", List.of()));
        users.add(user(json, "pat", List.of("/platform-admins")));
        // Her name is taken by a local account that the browser test creates first.
        users.add(user(json, LOCAL_NAME_CLASH, List.of("/teams/payments/owner")));
        ArrayNode clients = (ArrayNode) realm.get("clients");
        // The shipped realm allows only http://localhost:8080; the tests' console is on a random loopback port.
        ObjectNode console = (ObjectNode) find(clients, "gatehouse-console");
        console.put("secret", SECRET);
        console.putArray("redirectUris").add("http://127.0.0.1:*");
        ((ObjectNode) console.get("attributes")).put("post.logout.redirect.uris", "+");
        ObjectNode cli = (ObjectNode) find(clients, "gatehouse-cli");
        // No audience mapper: its tokens are not meant for Gatehouse.
        ObjectNode other = cli.deepCopy();
        other.put("clientId", "other-app");
        ((ArrayNode) other.get("protocolMappers")).removeIf(m -> m.get("name").asText().equals("audience"));
        clients.add(other);
        // Access tokens that expire after two seconds.
        ObjectNode brief = cli.deepCopy();
        brief.put("clientId", "gatehouse-cli-short");
        ((ObjectNode) brief.get("attributes")).put("access.token.lifespan", "2");
        clients.add(brief);
        Path dir = Files.createDirectories(home.resolve("data/import"));
        json.writeValue(dir.resolve("gatehouse-realm.json").toFile(), realm);
    }

    private static com.fasterxml.jackson.databind.JsonNode find(ArrayNode clients, String id) {
        for (var c : clients) {
            if (c.get("clientId").asText().equals(id)) {
                return c;
            }
        }
        throw new IllegalStateException("the realm has no client " + id);
    }

    private static ObjectNode user(ObjectMapper json, String name, List<String> groups) {
        ObjectNode u = json.createObjectNode();
        u.put("username", name).put("enabled", true).put("email", name + "@example.com").put("emailVerified", true)
                .put("firstName", name).put("lastName", "Test");
        u.putArray("credentials").addObject().put("type", "password").put("value", name + "-password").put("temporary", false);
        ArrayNode g = u.putArray("groups");
        groups.forEach(g::add);
        return u;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Kept for the next test class and Quarkus start; the shutdown hook stops it. */
    @Override
    public void stop() {
    }

    private static synchronized void stopKeycloak() {
        Process p = process;
        if (p == null) {
            return;
        }
        process = null;
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }
}
