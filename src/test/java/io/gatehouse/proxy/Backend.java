package io.gatehouse.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A real loopback HTTP backend for tests: answers every request with its own name (or runs a
 * custom handler), remembers the last request it saw, and can be stopped and started again on the
 * same port to play a host that dies and recovers.
 */
public final class Backend implements AutoCloseable {

    public record Seen(String method, String uri, MultiMap headers) {
    }

    final String name;
    private final Vertx vertx;
    private volatile Consumer<HttpServerRequest> handler;
    private volatile HttpServer server;
    private final String host;
    private int port;
    public final AtomicReference<Seen> last = new AtomicReference<>();
    public final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger healthChecks = new AtomicInteger();
    /** WebSocket sessions accepted ({@link #webSockets}), and how many of them have closed. */
    final ConcurrentLinkedQueue<ServerWebSocket> sessions = new ConcurrentLinkedQueue<>();
    final AtomicInteger sessionsClosed = new AtomicInteger();

    public Backend(Vertx vertx, String name) {
        this(vertx, name, "127.0.0.1", 0);
    }

    /** A backend on {@code host} (a loopback address, e.g. 127.0.0.2) and {@code port} (0: a free one). */
    public Backend(Vertx vertx, String name, String host, int port) {
        this.vertx = vertx;
        this.name = name;
        this.host = host;
        this.port = port;
        this.handler = req -> req.response().putHeader("Content-Type", "text/plain").end(name);
        start();
    }

    public Backend handler(Consumer<HttpServerRequest> handler) {
        this.handler = handler;
        return this;
    }

    /** Accepts every request as a WebSocket that answers each text message {@code m} with {@code name:m}. */
    Backend webSockets() {
        return handler(req -> req.toWebSocket().onSuccess(ws -> {
            sessions.add(ws);
            ws.closeHandler(v -> sessionsClosed.incrementAndGet());
            ws.textMessageHandler(m -> ws.writeTextMessage(name + ":" + m));
        }));
    }

    /** Requests answered (health checks apart). */
    public int requestsServed() {
        return requests.get();
    }

    public String url() {
        return "http://" + host + ":" + port;
    }

    int port() {
        return port;
    }

    Backend start() {
        server = await(vertx.createHttpServer()
                .requestHandler(req -> {
                    if (req.path().equals("/health")) {
                        healthChecks.incrementAndGet();
                        req.response().end("ok");
                        return;
                    }
                    requests.incrementAndGet();
                    MultiMap copy = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
                    last.set(new Seen(req.method().name(), req.uri(), copy));
                    handler.accept(req);
                })
                .listen(port, host));
        port = server.actualPort();
        return this;
    }

    /** Stops listening: new connections are refused (and kept-alive ones closed). */
    public void stop() {
        HttpServer s = server;
        server = null;
        if (s != null) {
            await(s.close());
        }
    }

    @Override
    public void close() {
        stop();
    }

    static <T> T await(io.vertx.core.Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
