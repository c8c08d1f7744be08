package io.gatehouse.proxy.bench;

import io.gatehouse.stage.BackendHost;
import io.gatehouse.proxy.ProxyServer;
import io.gatehouse.stage.BackendConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What one forwarded request costs the proxy, in time and in allocation ({@code -prof gc}: gc.alloc.rate.norm is
 * bytes per operation over all threads). {@code direct} is the keep-alive client and the backend alone;
 * {@code proxied} puts the real {@link ProxyServer} (one instance, in-memory snapshot, weighted round robin over
 * one host) between them, so the proxy's share is {@code proxied - direct}. One request at a time. {@code answer}:
 * the backend's response carries only Vert.x's {@code content-length} ({@code bare}, the figures in docs/benchmarks.md
 * before 2026-12-07 15:00), or also the fields nginx sends ({@code nginx}: Server, Date, Content-Type, Connection), as
 * the backends of {@code bench/proxy-vs-nginx.sh} do.
 *
 * <pre>bench/run-jmh.sh ForwardingBench -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ForwardingBench {

    @Param({"bare", "nginx"})
    public String answer;

    private Vertx vertx;
    private HttpServer backend;
    private ProxyServer proxy;
    private HttpClient client;
    private int backendPort;
    private int proxyPort;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(3));
        backend = vertx.createHttpServer().requestHandler(req -> {
                    if (answer.equals("nginx")) {
                        req.response().putHeader("Server", "nginx/1.22.1")
                                .putHeader("Date", "Mon, 07 Dec 2026 14:00:00 GMT")
                                .putHeader("Content-Type", "application/octet-stream").putHeader("Connection", "keep-alive");
                    }
                    req.response().end("a\n");
                })
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
        backendPort = backend.actualPort();
        proxy = ProxyBenchMain.start(vertx, 0, 1, List.of(new BackendHost("http://127.0.0.1:" + backendPort, 1)));
        proxyPort = proxy.port();
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(1));
        if (!get(proxyPort, "/bench/prod/hello").equals("a\n") || !get(backendPort, "/hello").equals("a\n")) {
            throw new IllegalStateException("no answer from the backend");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private String get(int port, String uri) throws Exception {
        return client.request(HttpMethod.GET, port, "127.0.0.1", uri)
                .compose(req -> req.send().compose(res -> res.body()))
                .map(Buffer::toString)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Benchmark
    public String direct() throws Exception {
        return get(backendPort, "/hello");
    }

    @Benchmark
    public String proxied() throws Exception {
        return get(proxyPort, "/bench/prod/hello");
    }
}
