package io.gatehouse.deploy;

import io.gatehouse.deploy.Instances.Instance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/getting-started.md, run as written: the packaged jar started the way its first step says
 * (embedded PostgreSQL in a fresh data directory, the bootstrap admin it names), then every {@code bash}
 * block in order in one bash session, and each {@code text} block that follows one must appear in that
 * block's output exactly: its lines in order, together, with their indentation. Only the {@code shell} block that starts Gatehouse is done by the test
 * itself, on free loopback ports passed in as GATEHOUSE and PROXY. The JWT walk-through's issuer is the guide's own
 * JDK-only docs/examples/DemoIssuer.java on port 9004 (Keycloak is not started for ITs; the suite's
 * KeycloakJwtTenantTest covers the real provider).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class GettingStartedIT {
    static final Path DOC = Path.of("docs/getting-started.md");

    record Block(String lang, String body) {
    }

    static List<Block> blocks(String markdown) {
        List<Block> out = new ArrayList<>();
        String lang = null;
        StringBuilder body = new StringBuilder();
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                if (lang == null) {
                    lang = line.substring(3).strip();
                    body.setLength(0);
                } else {
                    out.add(new Block(lang, body.toString()));
                    lang = null;
                }
            } else if (lang != null) {
                body.append(line).append('\n');
            }
        }
        return out;
    }

    /**
     * A first start says in one line each where the console, the proxy and the data are, keeps initdb's ~35
     * lines out of the log, and prints no secret: Quarkus used to print the session key it generated when the
     * first sign-in needed it, so a console sign-in happens first.
     */
    static void startUpSaysWhereAndNoSecret(Instance app) throws Exception {
        java.net.http.HttpResponse<Void> signIn = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(app.http("/j_security_check")))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("j_username=admin&j_password=change-me-now"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        assertEquals(302, signIn.statusCode());
        assertTrue(signIn.headers().allValues("set-cookie").stream().anyMatch(c -> c.startsWith("quarkus-credential=")),
                "signed in");
        String log = Files.readString(app.log());
        List<String> lines = log.lines().toList();
        String console = app.http("/");
        String proxy = app.proxy("/");
        assertEquals(1, lines.stream().filter(l -> l.contains("Console: " + console + " (admin API ")).count(),
                "one line names the console's URL " + console + ":\n" + log);
        assertEquals(1, lines.stream().filter(l -> l.contains("Proxy: " + proxy + "{gateway}/{stage}/... ")).count(),
                "one line names the proxy's URL " + proxy + ":\n" + log);
        assertEquals(1, lines.stream().filter(l -> l.matches(".*Data directory: /.*/postgres \\(embedded PostgreSQL on localhost:\\d+\\)$"))
                .count(), "one line names the data directory:\n" + log);
        for (String chatter : List.of("initdb", "fixing permissions", "Success. You can now start", "pg_ctl",
                "Detected a Linux", "waiting for server to start")) {
            assertTrue(lines.stream().noneMatch(l -> l.contains(chatter)), "initdb's and pg_ctl's output is DEBUG: '"
                    + chatter + "' in\n" + log);
        }
        // A key or password is 20+ characters of Base64 or hex; none is in any line (URLs and paths aside).
        java.util.regex.Pattern secret = java.util.regex.Pattern.compile(
                "(?i)(key|secret|password|token)\\b[^/\\n]{0,40}?[:= ]\\s*[A-Za-z0-9+/_-]{20,}={0,2}");
        for (String line : lines) {
            assertTrue(!secret.matcher(line).find() && !line.contains("temporary key"), "a secret in the log: " + line);
        }
    }

    @Test
    void everyCommandRunsAndShowsTheDocumentedOutput() throws Exception {
        for (int port : List.of(9001, 9002, 9003, 9004)) {
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertTrue(s.isBound());
            } catch (IOException e) {
                throw new AssertionError("the guide's backends use port " + port + ", which is taken here", e);
            }
        }
        List<Block> blocks = blocks(Files.readString(DOC));
        String start = blocks.stream().filter(b -> b.lang().equals("shell")).findFirst().orElseThrow().body();
        assertTrue(start.contains("GATEHOUSE_BOOTSTRAP_ADMIN_USERNAME=admin GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD=change-me-now "
                + "java -jar target/quarkus-app/quarkus-run.jar"), "the guide starts the jar as this test does");

        Path work = Files.createDirectories(Path.of("target", "getting-started-it"));
        try (Instances instances = new Instances(work)) {
            Instance app = instances.start("gatehouse", Map.of(
                    "GATEHOUSE_DATA_DIR", Files.createTempDirectory(work, "data").toAbsolutePath().toString(),
                    "GATEHOUSE_BOOTSTRAP_ADMIN_USERNAME", "admin",
                    "GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD", "change-me-now"));
            Instances.awaitReady(app, Duration.ofSeconds(150));
            // The embedded database is a laptop's: the guide's example password starts, with a warning (StartupSecrets).
            String log = Files.readString(app.log());
            assertTrue(log.contains("GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD is a published example or placeholder")
                    && log.contains("Accepted on the embedded database"), "the example password is warned about; log:\n"
                    + Instances.tail(app.log()));
            startUpSaysWhereAndNoSecret(app);

            StringBuilder script = new StringBuilder("set -euo pipefail\n");
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < blocks.size(); i++) {
                Block b = blocks.get(i);
                if (!b.lang().equals("bash")) {
                    continue;
                }
                script.append("echo '@@block ").append(expected.size()).append("@@'\n").append(b.body());
                boolean hasOutput = i + 1 < blocks.size() && blocks.get(i + 1).lang().equals("text");
                expected.add(hasOutput ? blocks.get(i + 1).body() : "");
            }
            Path scriptFile = work.resolve("getting-started.sh");
            Files.writeString(scriptFile, script);
            Path output = work.resolve("getting-started.out");
            ProcessBuilder pb = new ProcessBuilder("bash", scriptFile.toAbsolutePath().toString())
                    .directory(Path.of("").toAbsolutePath().toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            pb.environment().put("GATEHOUSE", app.http(""));
            pb.environment().put("PROXY", app.proxy(""));
            Process bash = pb.start();
            boolean finished;
            try {
                finished = bash.waitFor(4, TimeUnit.MINUTES);
            } finally {
                // The guide kills its backends in its last block; should it stop early, they are our
                // own descendants and are stopped here.
                bash.descendants().forEach(ProcessHandle::destroy);
                bash.destroy();
            }
            String out = Files.readString(output, StandardCharsets.UTF_8);
            assertTrue(finished, "the guide's commands did not finish within 4 minutes:\n" + out);
            assertEquals(0, bash.exitValue(), "a command of the guide failed:\n" + out);

            String[] parts = out.split("@@block \\d+@@\n", -1);
            assertEquals(expected.size() + 1, parts.length, out);
            for (int i = 0; i < expected.size(); i++) {
                // The documented output as it is printed: its lines in order, one after the other, with their
                // indentation (uniq -c's counts are right-aligned); only trailing blanks and blank lines aside.
                List<String> got = parts[i + 1].lines().map(String::stripTrailing).toList();
                List<String> want = expected.get(i).lines().map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
                assertTrue(want.isEmpty() || java.util.Collections.indexOfSubList(got, want) >= 0, "bash block " + (i + 1)
                        + " should print, in this order and together:\n" + String.join("\n", want) + "\nit printed:\n"
                        + parts[i + 1]);
            }
        }
    }
}
