package io.gatehouse.proxy;

import io.gatehouse.stage.BackendHost;
import io.gatehouse.balance.HostRegistries;
import io.gatehouse.balance.HostRegistry;
import io.gatehouse.balance.HostStatus;
import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.stage.BackendConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.gatehouse.proxy.Backend.await;

/** A plain Vert.x, a real proxy on 127.0.0.1 (random port), its store and registry, and a client. */
final class ProxyFixture implements AutoCloseable {

    record Response(int status, MultiMap headers, String body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    final Vertx vertx = Vertx.vertx();
    final SnapshotStore store = new SnapshotStore();
    /** Time for rate-limit buckets and key expiry, moved by hand: {@link #advance}. */
    final java.util.concurrent.atomic.AtomicLong clockNanos = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
    final Tenants tenants = new Tenants(vertx, new io.github.bucket4j.TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return clockNanos.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    }, () -> System.currentTimeMillis() + clockNanos.get() / 1_000_000L);
    final HealthChecker health;
    /** One registry per gateway stage, as a proxy instance keeps them (health never crosses gateways). */
    final HostRegistries registries;
    final ProxyServer proxy;
    final HttpClient client;
    final WebSocketClient webSockets;
    private final Context clientContext;
    private final List<Backend> backends = new ArrayList<>();
    /** DNS discovery of host names, as a proxy instance runs it; null until {@link #discover}. */
    HostDiscovery discovery;

    ProxyFixture() {
        this(Duration.ofSeconds(10));
    }

    ProxyFixture(Duration passiveCooldown) {
        this(passiveCooldown, ProxyObserver.NONE);
    }

    /** A proxy whose every request is reported to {@code observer}. */
    ProxyFixture(ProxyObserver observer) {
        this(Duration.ofSeconds(10), observer);
    }

    ProxyFixture(Duration passiveCooldown, ProxyObserver observer) {
        this(passiveCooldown, observer, null);
    }

    /** A proxy that trusts {@code backendTrust} on https hosts besides the JDK's CAs (null: the JDK's alone). */
    ProxyFixture(Duration passiveCooldown, ProxyObserver observer, io.vertx.core.net.TrustOptions backendTrust) {
        this(passiveCooldown, observer, backendTrust, o -> o);
    }

    /** A proxy that believes the X-Forwarded-For of {@code trustedProxies}. */
    ProxyFixture(ProxyObserver observer, TrustedProxies trustedProxies) {
        this(Duration.ofSeconds(10), observer, null, o -> o.withTrustedProxies(trustedProxies));
    }

    /** A proxy with {@code tune} applied to the fixture's options. */
    static ProxyFixture withOptions(java.util.function.UnaryOperator<ProxyOptions> tune) {
        return new ProxyFixture(Duration.ofSeconds(10), ProxyObserver.NONE, null, tune);
    }

    private ProxyFixture(Duration passiveCooldown, ProxyObserver observer, io.vertx.core.net.TrustOptions backendTrust,
                         java.util.function.UnaryOperator<ProxyOptions> tune) {
        health = new HealthChecker(vertx, passiveCooldown, backendTrust);
        health.start(store);
        registries = new HostRegistries(health);
        proxy = new ProxyServer(vertx, store, tune.apply(ProxyOptions.defaults().withHost("127.0.0.1").withPort(0)
                .withInstances(2).withBackendTrust(backendTrust)), observer, tenants);
        await(proxy.start());
        client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(proxy.port()).setMaxPoolSize(32));
        webSockets = vertx.createWebSocketClient();
        clientContext = vertx.getOrCreateContext();
    }

    /** Every path of the stage to one resource (ANY, prefix /), forwarded as is. */
    static Map<String, ResourceSpec> anyPath() {
        return resources("all", resource("ANY", "/", "prefix", null));
    }

    /**
     * Kept for branches written before {@link io.gatehouse.Eventually}, the suite's one wait helper, to which it
     * delegates; new code imports that.
     */
    @Deprecated
    static void eventually(String what, java.util.function.BooleanSupplier condition) {
        io.gatehouse.Eventually.eventually(what, condition);
    }

    /** Moves the fixture's clock (rate-limit refill, key expiry) forward. */
    void advance(Duration d) {
        clockNanos.addAndGet(d.toNanos());
    }

    Backend backend(String name) {
        return backend(name, "127.0.0.1", 0);
    }

    /** A backend on loopback address {@code host} (127.0.0.2 …) and {@code port} (0: a free one). */
    Backend backend(String name, String host, int port) {
        Backend b = new Backend(vertx, name, host, port);
        backends.add(b);
        return b;
    }

    /**
     * From now on, host names are discovered by asking the DNS server {@code server}, as a proxy instance does, but
     * with a 1 s query timeout and a failed lookup retried after 1 s, not 2 s and 5 s (DnsDiscoveryInstanceTest has those).
     */
    void discover(java.net.InetSocketAddress server) {
        discovery = new HostDiscovery(vertx, List.of(server), store, registries, "fixture",
                java.time.Duration.ofSeconds(1), 1);
        discovery.start();
    }

    /** Compiles and applies gateway {@code gw}, stage {@code stage} (as ProxyInstance does, with discovery on). */
    StageSnapshot publish(String gw, String stage, BackendConfig config, Map<String, ResourceSpec> resources) {
        if (discovery == null) {
            StageSnapshot s = RouteCompiler.compile(gw, stage, StageSnapshot.NO_RELEASE, config, resources, registries);
            store.apply(s);
            return s;
        }
        discovery.prepare(stage, config, resources);
        synchronized (discovery.lock()) {
            StageSnapshot s = RouteCompiler.compile(gw, stage, StageSnapshot.NO_RELEASE, config, resources, registries, discovery);
            store.apply(s);
            return s;
        }
    }

    /** The host states of {@code gw/stage} (passive marks, in-flight counts, latency). */
    HostRegistry registry(String gw, String stage) {
        return registries.of(gw, stage);
    }

    /** How the stage's own default pool sees {@code url}: passive marks and its active probe together. */
    HostStatus status(String gw, String stage, String url) {
        var pool = store.get(gw, stage).stageUpstream().pools().defaults();
        return pool.status(pool.hosts().stream().map(io.gatehouse.balance.Host::url).toList().indexOf(url));
    }

    /** Whether the stage's own default pool sees {@code url} up. */
    boolean up(String gw, String stage, String url) {
        return status(gw, stage, url).up();
    }

    Response get(String path, String... headerPairs) {
        return send(HttpMethod.GET, path, null, headerPairs);
    }

    Response send(HttpMethod method, String path, String body, String... headerPairs) {
        RequestOptions options = new RequestOptions().setMethod(method).setURI(path);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.add(headerPairs[i], headerPairs[i + 1]);
        }
        options.setHeaders(headers);
        // On a Vert.x context, not the test thread: a callback registered from another thread on an
        // already completed future runs there, racing the event loop that delivers the body.
        Promise<Response> done = Promise.promise();
        onContext(() -> client.request(options)
                .compose(req -> body == null ? req.send() : req.send(Buffer.buffer(body)))
                .compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), resp.headers(), b.toString())))
                .onComplete(done));
        return await(done.future());
    }

    /** Runs {@code action} on the fixture's client context (see {@link #send}). */
    void onContext(Runnable action) {
        clientContext.runOnContext(v -> action.run());
    }

    /** A WebSocket client session through the proxy: the text messages it got, and its close. */
    static final class Ws {
        final WebSocket socket;
        final MultiMap handshake; // the 101's headers (WebSocket.headers() forgets them after the first use)
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final Promise<Void> closed = Promise.promise();

        Ws(WebSocket socket) {
            this.socket = socket;
            this.handshake = MultiMap.caseInsensitiveMultiMap().addAll(socket.headers());
            socket.textMessageHandler(received::add);
            socket.closeHandler(v -> closed.tryComplete());
        }

        /** Sends {@code text} and returns the next message received (within 10 s). */
        String ask(String text) {
            socket.writeTextMessage(text);
            return next();
        }

        String next() {
            try {
                String m = received.poll(10, TimeUnit.SECONDS);
                if (m == null) {
                    throw new AssertionError("no message within 10 s");
                }
                return m;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        void close() {
            await(socket.close());
        }
    }

    /** Opens a WebSocket to the proxy; fails as the handshake does (UpgradeRejectedException: not 101). */
    Future<Ws> connectWebSocket(String path, String... headerPairs) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(proxy.port())
                .setURI(path);
        for (int i = 0; i < headerPairs.length; i += 2) {
            options.addHeader(headerPairs[i], headerPairs[i + 1]);
        }
        Promise<Ws> done = Promise.promise();
        onContext(() -> webSockets.connect(options).map(Ws::new).onComplete(done));
        return done.future();
    }

    Ws webSocket(String path, String... headerPairs) {
        return await(connectWebSocket(path, headerPairs));
    }

    /** The failure of {@code f} (within 30 s); fails when it succeeds. */
    static Throwable failure(Future<?> f) {
        try {
            f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        throw new AssertionError("expected a failure, got " + f.result());
    }

    /** {@code n} GETs in sequence; the bodies, i.e. the backends' names. */
    List<String> names(String path, int n, String... headerPairs) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Response r = get(path, headerPairs);
            out.add(r.status() == 200 && !r.body().isEmpty() ? r.body() : r.status() + ":" + r.body() + ":" + r.headers());
        }
        return out;
    }

    // ---- config builders ------------------------------------------------------------------------

    static BackendConfig config(String type, BackendHost... hosts) {
        return new BackendConfig(type, List.of(hosts), null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null);
    }

    static BackendHost host(Backend b, int weight) {
        return new BackendHost(b.url(), weight);
    }

    static ResourceSpec resource(String method, String path, String match, String backendPath) {
        return new ResourceSpec(method, path, match, backendPath, null, null);
    }

    static Map<String, ResourceSpec> resources(Object... nameThenSpec) {
        Map<String, ResourceSpec> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenSpec.length; i += 2) {
            m.put((String) nameThenSpec[i], (ResourceSpec) nameThenSpec[i + 1]);
        }
        return m;
    }

    static String joined(List<String> names) {
        return String.join(" ", names);
    }

    @Override
    public void close() {
        if (discovery != null) {
            discovery.close();
        }
        health.close();
        await(proxy.close());
        backends.forEach(Backend::close);
        client.close();
        webSockets.close();
        await(vertx.close());
    }

    @SuppressWarnings("unused")
    private static List<String> list(String... s) {
        return Arrays.asList(s);
    }
}
