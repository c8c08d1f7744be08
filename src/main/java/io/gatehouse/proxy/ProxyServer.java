package io.gatehouse.proxy;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;

import javax.net.ssl.TrustManagerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The proxy port: {@link ProxyOptions#instances()} verticles on the given {@link Vertx} (Quarkus's
 * own in the app, a plain one in tests), each with an HTTP server on the shared port (HTTP/1.1 and
 * h2c in) and its own {@link BackendPool} (keep-alive connections per host, HTTP/1.1 and HTTPS out with
 * SNI and certificate and host-name verification) on the same event loop, so each request and its backend
 * connection stay on one thread.
 *
 * <p>The backend side is Netty's pipeline directly ({@link BackendPool}, {@link Attempt}) rather than Vert.x's
 * {@code HttpClient} or {@code vertx-http-proxy}: the latter picks one origin per request and answers errors
 * itself, while the proxy retries on another host, tells a connect failure (502) from a read timeout (504),
 * answers in problem JSON and feeds in-flight counts, latency and passive health back to the balancers; and
 * the client's request/response objects, futures, pipes and per-request timers were most of the proxy's own
 * CPU per request (docs/benchmarks.md, issue 17).
 */
public final class ProxyServer {

    private final Vertx vertx;
    private final SnapshotStore store;
    private final ProxyOptions options;
    private final ProxyObserver observer;
    private final Tenants tenants;
    private final List<String> deployments = new ArrayList<>();
    private final Drain drain = new Drain();
    private final ConnectionGuard guard;
    private final SslContext backendTls;
    private volatile int actualPort = -1;

    public ProxyServer(Vertx vertx, SnapshotStore store, ProxyOptions options) {
        this(vertx, store, options, ProxyObserver.NONE);
    }

    /** @param observer hears every request once at its end (metrics, access log, live traffic) */
    public ProxyServer(Vertx vertx, SnapshotStore store, ProxyOptions options, ProxyObserver observer) {
        this(vertx, store, options, observer, new Tenants(vertx));
    }

    /** @param tenants the instance's tenants, keys, rate limits and JWT verifier */
    public ProxyServer(Vertx vertx, SnapshotStore store, ProxyOptions options, ProxyObserver observer,
                       Tenants tenants) {
        this.tenants = Objects.requireNonNull(tenants, "tenants");
        store.addListener(tenants::prefetchKeys);
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.store = Objects.requireNonNull(store, "store");
        this.options = Objects.requireNonNull(options, "options");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.guard = new ConnectionGuard(options.maxConnections(), options.requestHeadTimeout());
        this.backendTls = backendTls(vertx, options);
    }

    /**
     * Binds the port on every instance; completes with the port bound (useful with port 0, which
     * becomes Vert.x's shared random port, -1, so that all instances share one port).
     */
    public Future<Integer> start() {
        int port = options.port() == 0 ? -1 : options.port();
        guard.start(vertx);
        return vertx.deployVerticle(() -> new ProxyVerticle(port), new DeploymentOptions().setInstances(options.instances()))
                .map(id -> {
                    synchronized (deployments) {
                        deployments.add(id);
                    }
                    return actualPort;
                });
    }

    /** The bound port, or -1 before {@link #start} completes. */
    public int port() {
        return actualPort;
    }

    /**
     * Graceful stop: refuses new connections at once, lets requests in flight finish for up to
     * {@code timeout}, then {@link #close}s (whatever is still in flight then is cut).
     */
    public Future<Void> shutdown(Duration timeout) {
        return drain.drain(vertx, timeout).eventually(v -> close());
    }

    /** The client connections: open, cap, refused, timed out. */
    public ClientConnectionStats connections() {
        return guard;
    }

    /** Requests being served now (counted from request to response end or connection close). */
    public int inFlight() {
        return drain.inFlight();
    }

    /** Stops accepting and closes the backend connections; requests in flight are cut. */
    public Future<Void> close() {
        List<String> ids;
        synchronized (deployments) {
            ids = List.copyOf(deployments);
            deployments.clear();
        }
        guard.stop(vertx);
        List<Future<Void>> undeployed = new ArrayList<>();
        for (String id : ids) {
            undeployed.add(vertx.undeploy(id));
        }
        return Future.all(undeployed).mapEmpty();
    }

    /**
     * HTTPS out: the chain verified against the JDK's CAs, plus {@link BackendTrust}'s when
     * {@code gatehouse.proxy.tls.ca-file} is set; {@link BackendPool} adds host-name verification and SNI.
     */
    static SslContext backendTls(Vertx vertx, ProxyOptions options) {
        try {
            TrustManagerFactory trust = options.backendTrust() == null ? null
                    : options.backendTrust().getTrustManagerFactory(vertx);
            return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(trust).build();
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up TLS to backends: " + e.getMessage(), e);
        }
    }

    /** The longest read_ms plus two minutes. */
    static final int SILENT_SOCKET_BACKSTOP_SECONDS = RouteCompiler.MAX_READ_MS / 1000 + 120;

    private final class ProxyVerticle extends AbstractVerticle {
        private final int port;
        private BackendPool pool;

        @Override
        public void stop() {
            if (pool != null) {
                pool.close();
            }
        }

        ProxyVerticle(int port) {
            this.port = port;
        }

        @Override
        public void start(Promise<Void> started) {
            VertxInternal internal = (VertxInternal) vertx;
            pool = new BackendPool((ContextInternal) context, internal.transport().channelFactory(false),
                    internal.nettyAddressResolverGroup(), backendTls, options.maxConnectionsPerHost(), options.keepAliveSeconds());
            HttpServerOptions serverOptions = new HttpServerOptions()
                    .setHost(options.host())
                    .setPort(port)
                    .setTcpNoDelay(true)
                    // Also what makes Vert.x call the connection handler only once an HTTP/1.x head is complete,
                    // which ConnectionGuard relies on to stop a connection's head clock.
                    .setHttp2ClearTextEnabled(true)
                    .setCompressionSupported(false)
                    .setDecompressionSupported(false)
                    // WebSocket extensions are negotiated end to end (Tunnel): no extension handler in the pipeline.
                    .setPerMessageWebSocketCompressionSupported(false)
                    .setPerFrameWebSocketCompressionSupported(false)
                    // The body is streamed to the backend at once, so "continue" is ours to say.
                    .setHandle100ContinueAutomatically(true)
                    // A backstop for sockets silent both ways: longer than any read_ms (a silent backend
                    // answers 504 first), it closes WebSocket sessions silent for over an hour (a vanished
                    // peer), and connections without a first request if request-head-timeout is 0.
                    .setIdleTimeout(SILENT_SOCKET_BACKSTOP_SECONDS)
                    .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
            StalledBodies bodies = new StalledBodies(vertx, options.clientBodyTimeout().toMillis(), guard);
            ProxyHandler handler = new ProxyHandler(store, pool, options.trustedProxies(), bodies,
                    tenants.identity());
            IdleConnections idle = new IdleConnections(vertx, options.clientIdleTimeout().toMillis());
            vertx.createHttpServer(serverOptions)
                    .connectionHandler(conn -> {
                        drain.onConnection(conn);
                        guard.connected(conn);
                    })
                    .requestHandler(req -> {
                        if (req.version() == HttpVersion.HTTP_2) {
                            guard.headComplete(req.connection()); // HTTP/1.x heads end in connected()
                        }
                        ProxiedRequest record = new ProxiedRequest(req);
                        Runnable idleAgain = idle.requestStarted(req.connection());
                        Drain.Tracked tracked = drain.track(req, () -> {
                            idleAgain.run();
                            record.end(observer);
                        });
                        handler.handle(req, record, tracked);
                    })
                    .listen()
                    .onSuccess(server -> {
                        guard.install(server);
                        drain.listening(server);
                        actualPort = server.actualPort();
                        started.complete();
                    })
                    .onFailure(started::fail);
        }
    }
}
