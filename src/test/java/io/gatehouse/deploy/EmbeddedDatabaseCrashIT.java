package io.gatehouse.deploy;

import com.sun.net.httpserver.HttpServer;
import io.gatehouse.deploy.Instances.Instance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jar on its embedded PostgreSQL, through the two crashes a single-machine install meets:
 * the Java process killed with SIGKILL (the OOM killer), which leaves the server running, then the server killed
 * under a running instance. Each time the last release stays served and the log says what happened in one line,
 * without ERRORs or stack traces; a SIGTERM at the end stops both processes quietly.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class EmbeddedDatabaseCrashIT {
    private static final Duration START = Duration.ofSeconds(150);
    private static final Pattern NOISE = Pattern.compile("(?m)^(.* (ERROR|TRACE) .*|\\s+at [a-z].*|.*Exception: .*)$");

    private static final Path WORK = Path.of("target", "embedded-crash-it");
    private static Instances instances;
    private static HttpServer backend;

    @AfterAll
    static void stop() {
        if (instances != null) {
            instances.close();
        }
        if (backend != null) {
            backend.stop(0);
        }
        // A failed run may leave the server of a killed instance: stop it if it is that, this test's own server.
        Path postgresDir = WORK.resolve("data").resolve("postgres").toAbsolutePath();
        long pid = postmasterPid(postgresDir);
        if (pid > 0) {
            ProcessHandle.of(pid).filter(p -> p.info().arguments().map(a -> String.join(" ", a)
                    .contains(postgresDir.toString())).orElse(false)).ifPresent(ProcessHandle::destroy);
        }
    }

    @Test
    void killedJavaThenKilledPostgresKeepTheLastReleaseServed() throws Exception {
        Path work = Files.createDirectories(WORK);
        Path dataDir = work.resolve("data");
        deleteRecursively(dataDir);
        instances = new Instances(work);
        backend = AdminApi.backend();
        Map<String, String> env = new HashMap<>(AdminApi.bootstrapEnv());
        env.put("GATEHOUSE_DATA_DIR", dataDir.toAbsolutePath().toString());
        Path postgresDir = dataDir.resolve("postgres");

        Instance first = instances.start("first", env);
        Instances.awaitReady(first, START);
        AdminApi api = new AdminApi(first);
        api.createTeam("crash");
        api.createGateway("crash", "shop", AdminApi.url(backend), "/v1");
        api.publish("shop", "before the crash");
        await(first, "/shop/prod/items/1", "ok /v1/items/1");

        // kill -9 of Java alone: the server it started keeps running and holds postmaster.pid.
        long orphan = postmasterPid(postgresDir);
        first.process().destroyForcibly();
        assertTrue(first.process().waitFor(20, TimeUnit.SECONDS));
        assertTrue(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false),
                "the embedded PostgreSQL outlives the killed Java process (what the next start must cope with)");

        long started = System.nanoTime();
        Instance second = instances.start("second", env);
        Instances.awaitReady(second, START);
        System.out.printf("EmbeddedDatabaseCrashIT: ready %d s after the restart over a left-running server (load %s)%n",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), loadAverage());
        assertFalse(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false), "the left-over server was stopped");
        assertEquals("ok /v1/items/1", Instances.get(second.proxy("/shop/prod/items/1")).body(), "the last release, served");
        String log = Files.readString(second.log());
        assertEquals(1, count(log, "Stopped a PostgreSQL (pid " + orphan + ") that an earlier Gatehouse left running"),
                "one line says what happened:\n" + log);
        assertNoNoise("restart after kill -9", log);

        // The server killed under a running instance: the proxy keeps answering, Gatehouse restarts the server.
        long killed = postmasterPid(postgresDir);
        assertTrue(ProcessHandle.of(killed).orElseThrow().destroyForcibly());
        long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        while (System.nanoTime() < until) {
            assertEquals(200, status(second.http("/q/health/ready")), "readiness while the database is down");
            assertEquals("ok /v1/items/1", Instances.get(second.proxy("/shop/prod/items/1")).body(), "served meanwhile");
            Thread.sleep(100);
        }
        Instances.await(Duration.ofSeconds(90), () -> status(second.http("/q/health/group/database")) == 200
                && postmasterPid(postgresDir) != killed, () -> "the database never came back:\n" + Instances.tail(second.log()));
        log = Files.readString(second.log());
        assertEquals(1, count(log, "The embedded PostgreSQL (pid " + killed + ") in"), "said once that it stopped:\n" + log);
        assertEquals(1, count(log, "The embedded PostgreSQL is running again"), "said once that it is back:\n" + log);

        // Fully back: a publish reaches the proxy (admin API, NOTIFY or poll all work again).
        api = new AdminApi(second);
        api.route("shop", "/v2");
        api.publish("shop", "after the crash");
        await(second, "/shop/prod/items/1", "ok /v2/items/1");
        assertNoNoise("server killed and restarted", Files.readString(second.log()));

        // SIGTERM: Gatehouse drains, deregisters, then stops the server: no ERROR, no stack trace, no server left.
        long server = postmasterPid(postgresDir);
        second.process().destroy();
        assertTrue(second.process().waitFor(60, TimeUnit.SECONDS), "exits on SIGTERM");
        assertTrue(exited(server), "the server stopped with it");
        assertFalse(Files.exists(postgresDir.resolve("postmaster.pid")), "stopped cleanly (pid file removed)");
        assertNoNoise("SIGTERM", Files.readString(second.log()));
    }

    /** pg_ctl returns once the pid file is gone, a moment before the postmaster has exited: wait for that. */
    private static boolean exited(long pid) {
        try {
            ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).join());
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void await(Instance i, String path, String body) {
        Instances.await(Duration.ofSeconds(30), () -> {
            try {
                return Instances.get(i.proxy(path)).body().equals(body);
            } catch (IOException e) {
                return false;
            }
        }, () -> i.name() + " never served " + body);
    }

    /** Status within one second: the health endpoints never wait on the database. */
    static int status(String url) {
        try {
            return Instances.HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new AssertionError(url + " did not answer within 1 s: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static long postmasterPid(Path postgresDir) {
        try {
            return Long.parseLong(Files.readAllLines(postgresDir.resolve("postmaster.pid")).get(0).strip());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static void assertNoNoise(String when, String log) {
        List<String> noise = NOISE.matcher(log).results().map(m -> m.group(1)).toList();
        assertTrue(noise.isEmpty(), when + ": the log has ERROR/TRACE lines or stack traces: " + noise);
    }

    private static int count(String log, String needle) {
        return (int) log.lines().filter(l -> l.contains(needle)).count();
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
