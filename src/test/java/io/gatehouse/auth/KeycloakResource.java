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
    /** The audience the tenant clients' tokens carry (their audience mapper), and their secret. */
    public static final String PROXY_AUDIENCE = "gatehouse-proxy";
    public static final String TENANT_CLIENT_SECRET = "tests-only-tenant-client-secret";
    /** A second realm: a real issuer that a gateway does not trust. */
    static final String OTHER_REALM = "elsewhere";
    /** A fresh target/ pays Keycloak's one-off build step (about 90 s on a loaded 2-core machine) before the start. */
    private static final long START_TIMEOUT_MS = 300_000;
    /** Outside the gatehouse.* and quarkus.* namespaces, which the application's config would check. */
    private static final String RUNNING_URL = "keycloak-test.url";
    private static final String RUNNING_PID = "keycloak-test.pid";
    private static Process process;

    /** The gatehouse realm's issuer URL, once {@link #start} has run. */
    public static String issuer() {
        return url;
    }

    /** The issuer URL of realm {@value #OTHER_REALM}. */
    public static String otherIssuer() {
        return url.substring(0, url.length() - REALM.length()) + OTHER_REALM;
    }

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
            // C1 only: this Keycloak builds itself once and then answers a few dozen requests, so C2's compiles never
            // pay back. Its build and start took 33 s of CPU instead of 53 s on the 2-core CI machine (kc.sh appends it
            // to both JVMs it runs).
            pb.environment().put("JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1");
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
        io.gatehouse.Eventually.eventually(() -> "Keycloak ready; see target/keycloak/keycloak.log",
                java.time.Duration.ofMillis(START_TIMEOUT_MS), java.time.Duration.ofMillis(500), () -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("Keycloak exited with " + process.exitValue()
                                + "; see target/keycloak/keycloak.log");
                    }
                    try {
                        HttpURLConnection c = (HttpURLConnection) URI.create(wellKnown).toURL().openConnection();
                        c.setConnectTimeout(1000);
                        c.setReadTimeout(2000);
                        return c.getResponseCode() == 200;
                    } catch (IOException notYet) {
                        return false; // still starting
                    }
                });
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
        // Machine clients of API consumers (tenant_from: jwt): client_credentials tokens whose access token
        // carries tenant=acme (a hardcoded-claim mapper) and the proxy's audience; one whose tokens expire
        // after two seconds, one with another audience.
        clients.add(tenantClient(json, "acme-service", "acme", PROXY_AUDIENCE, null));
        clients.add(tenantClient(json, "acme-service-short", "acme", PROXY_AUDIENCE, "2"));
        clients.add(tenantClient(json, "acme-other-audience", "acme", "another-api", null));
        Path dir = Files.createDirectories(home.resolve("data/import"));
        json.writeValue(dir.resolve("gatehouse-realm.json").toFile(), realm);
        ObjectNode elsewhere = json.createObjectNode().put("realm", OTHER_REALM).put("enabled", true)
                .put("sslRequired", "none");
        elsewhere.putArray("clients").add(tenantClient(json, "acme-service", "acme", PROXY_AUDIENCE, null));
        json.writeValue(dir.resolve(OTHER_REALM + "-realm.json").toFile(), elsewhere);
    }

    private static ObjectNode tenantClient(ObjectMapper json, String id, String tenant, String audience,
                                           String lifespanSeconds) {
        ObjectNode c = json.createObjectNode();
        c.put("clientId", id).put("enabled", true).put("protocol", "openid-connect").put("publicClient", false)
                .put("clientAuthenticatorType", "client-secret").put("secret", TENANT_CLIENT_SECRET)
                .put("standardFlowEnabled", false).put("directAccessGrantsEnabled", false)
                .put("serviceAccountsEnabled", true);
        ObjectNode attributes = c.putObject("attributes");
        if (lifespanSeconds != null) {
            attributes.put("access.token.lifespan", lifespanSeconds);
        }
        ArrayNode mappers = c.putArray("protocolMappers");
        mappers.addObject().put("name", "tenant").put("protocol", "openid-connect")
                .put("protocolMapper", "oidc-hardcoded-claim-mapper").putObject("config")
                .put("claim.name", "tenant").put("claim.value", tenant).put("jsonType.label", "String")
                .put("access.token.claim", "true").put("id.token.claim", "false").put("userinfo.token.claim", "false");
        mappers.addObject().put("name", "audience").put("protocol", "openid-connect")
                .put("protocolMapper", "oidc-audience-mapper").putObject("config")
                .put("included.custom.audience", audience).put("access.token.claim", "true")
                .put("id.token.claim", "false");
        return c;
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
