package io.gatehouse.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Gatehouse processes started from the packaged jar ({@code target/quarkus-app/quarkus-run.jar}), each
 * with the environment it is given and nothing inherited from ours that Gatehouse or Quarkus would
 * read. Only the processes started here are ever stopped, by their own handles.
 */
final class Instances implements AutoCloseable {
    static final Path APP = Path.of(System.getProperty("gatehouse.app.dir", "target/quarkus-app"));
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    record Instance(String name, Process process, int httpPort, int proxyPort, Path log) {
        String http(String path) {
            return "http://127.0.0.1:" + httpPort + path;
        }

        String proxy(String path) {
            return "http://127.0.0.1:" + proxyPort + path;
        }
    }

    private final Path workDir;
    private final List<Instance> started = new ArrayList<>();

    Instances(Path workDir) {
        this.workDir = workDir;
    }

    /** Starts one instance on loopback ports with {@code env} (compose's environment, adapted by the caller). */
    Instance start(String name, Map<String, String> env) throws IOException {
        Path jar = APP.resolve("quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw verify (the IT runs after package)");
        }
        int httpPort = freePort();
        int proxyPort = freePort();
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toAbsolutePath().toString())
                .directory(Files.createDirectories(workDir.resolve(name)).toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("GATEHOUSE_") || k.startsWith("JAVA_TOOL"));
        e.putAll(env);
        e.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        e.put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        e.put("GATEHOUSE_PROXY_HOST", "127.0.0.1");
        e.put("GATEHOUSE_PROXY_PORT", String.valueOf(proxyPort));
        e.put("GATEHOUSE_PROXY_INSTANCES", "1");
        Instance instance = new Instance(name, pb.start(), httpPort, proxyPort, log);
        started.add(instance);
        return instance;
    }

    /** Waits (bounded) until the instance answers 200 on /q/health/ready. */
    static void awaitReady(Instance i, Duration limit) {
        await(limit, () -> {
            if (!i.process().isAlive()) {
                throw new AssertionError(i.name() + " exited with " + i.process().exitValue() + "; log:\n" + tail(i.log()));
            }
            return status(i.http("/q/health/ready")) == 200;
        }, () -> i.name() + " not ready; log:\n" + tail(i.log()));
    }

    static int status(String url) {
        try {
            return get(url).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    static HttpResponse<String> get(String url) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    static void await(Duration limit, BooleanSupplier condition, java.util.function.Supplier<String> message) {
        io.gatehouse.Eventually.eventually(message, limit, Duration.ofMillis(200), condition);
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM to each process started here, then a bounded wait; SIGKILL only for one that did not exit. */
    @Override
    public void close() {
        for (Instance i : started) {
            i.process().destroy();
        }
        for (Instance i : started) {
            try {
                if (!i.process().waitFor(40, TimeUnit.SECONDS)) {
                    i.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                i.process().destroyForcibly();
            }
        }
        started.clear();
    }
}
