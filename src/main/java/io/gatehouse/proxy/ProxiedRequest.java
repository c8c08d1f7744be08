package io.gatehouse.proxy;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import org.jboss.logging.Logger;

/**
 * What the proxy knows about one request once it is over: one per request, filled in on its event loop
 * as routing, the pool choice and each attempt happen, and handed to the {@link ProxyObserver} exactly
 * once, when the response has ended or the connection closed (see {@link Drain#track}); for a
 * WebSocket session, when the session closes (status 101, its duration the session's length; see
 * {@link Tunnel}). Covers the proxy's own answers (400, 404, 405, 502, 503, 504) as well as proxied ones.
 *
 * <p>Labels only, never anything a client can vary freely: the resource is the matched resource's
 * name (null when none matched), the tenant only a valid tenant name, the host a configured host URL.
 * The raw path is here for the access log and must never become a metric label.
 */
public final class ProxiedRequest {
    private static final Logger LOG = Logger.getLogger(ProxiedRequest.class);

    /** The status recorded when the client went away before any response was sent (nginx's 499). */
    public static final int CLIENT_CLOSED = 499;

    /**
     * The request while it is served; null once it has ended: a record queued for the access log holds only what
     * the line needs, not the Vert.x request with its header maps and response (docs/benchmarks.md, issue 17).
     */
    private HttpServerRequest req;
    private String method;
    private String path;
    private String peer;
    private final long startNanos;
    private final long startMillis;
    private String requestId;
    private String clientIp;
    private String stageKey;
    private String gateway;
    private String stage;
    private String resource;
    private String overrideOf;
    private String tenant;
    private String tenantPool;
    private String declaredTenant;
    private String host;
    private int attempts;
    private boolean panic;
    private int status;
    private long durationNanos;
    private boolean ended;

    ProxiedRequest(HttpServerRequest req) {
        this.req = req;
        this.startNanos = System.nanoTime();
        this.startMillis = System.currentTimeMillis();
    }

    void requestId(String id) {
        this.requestId = id;
    }

    /** @param peer the connection's peer address; @param clientIp the client behind trusted proxies, or the peer */
    void client(String peer, String clientIp) {
        this.peer = peer;
        this.clientIp = clientIp;
    }

    /** The connection's peer address as set by {@link #client} (null before): X-Forwarded-For appends it. */
    String peer() {
        return peer;
    }

    void stage(String key, StageSnapshot snapshot) {
        this.stageKey = key;
        this.gateway = snapshot.gateway();
        this.stage = snapshot.stage();
    }

    /**
     * The matched resource. Requests of resources that override the stage's backend config are grouped
     * apart in the live view: any upstream instance other than the stage's own is an override's.
     */
    void route(Route route, StageSnapshot snapshot) {
        this.resource = route.name();
        this.overrideOf = route.upstream() == snapshot.stageUpstream() ? null : route.name();
    }

    void tenant(String tenant, boolean ownPool) {
        this.tenant = tenant;
        this.tenantPool = ownPool ? tenant : null;
    }

    /** The request's tenant, known to be one the gateway declares: what per-tenant usage is counted under. */
    void declaredTenant(String tenant) {
        this.declaredTenant = tenant;
    }

    /** The tenant's pool had no usable host and the default hosts served it: counted under them. */
    void fellBackToDefaults() {
        this.tenantPool = null;
    }

    /** An attempt went to a pool in panic (below its panic_threshold, spread over unhealthy hosts too). */
    void markPanic() {
        this.panic = true;
    }

    void attempt(String hostUrl) {
        this.host = hostUrl;
        this.attempts++;
    }

    /** Called once (Drain guarantees it) when the response ended or the connection closed. */
    void end(ProxyObserver observer) {
        if (ended) {
            return;
        }
        ended = true;
        durationNanos = System.nanoTime() - startNanos;
        HttpServerResponse res = req.response();
        status = res.headWritten() ? res.getStatusCode() : CLIENT_CLOSED;
        method = req.method().name();
        path = req.path();
        if (clientIp == null) {
            SocketAddress a = req.remoteAddress();
            clientIp = a == null ? null : a.hostAddress();
        }
        req = null;
        try {
            observer.request(this);
        } catch (RuntimeException e) {
            // Recording must never cost the proxy anything but this line.
            LOG.warnf("recording request %s failed: %s", requestId, e.toString());
        }
    }

    public String requestId() {
        return requestId;
    }

    /** Epoch milliseconds when the request arrived. */
    public long startMillis() {
        return startMillis;
    }

    /** The method; read once the request has ended (the observer's view). */
    public String method() {
        return method;
    }

    /** The raw path as sent (percent-encoded); for the access log only, never a metric label. */
    public String path() {
        return path;
    }

    /** The peer, or the client behind trusted proxies ({@link TrustedProxies}). */
    public String clientIp() {
        return clientIp;
    }

    /** {@code gateway/stage} as the store keys it, or null when no published stage matched. */
    public String stageKey() {
        return stageKey;
    }

    public String gateway() {
        return gateway;
    }

    public String stage() {
        return stage;
    }

    /** The matched resource's name, or null (404, 405, 400). */
    public String resource() {
        return resource;
    }

    /** The resource's name when its upstream is its own override for this stage, else null. */
    public String overrideOf() {
        return overrideOf;
    }

    /** The tenant the request named, when it is a valid tenant name; else null. */
    public String tenant() {
        return tenant;
    }

    /**
     * The request's tenant when the gateway declares it (verified, or a declared name in the tenant header),
     * also for requests refused after the tenant was known (403 not allowed, 429 rate limited); else null.
     * Bounded by configuration, so a metric label.
     */
    public String declaredTenant() {
        return declaredTenant;
    }

    /** The tenant when its own pool served the request (a configured pool name), else null. */
    public String tenantPool() {
        return tenantPool;
    }

    /** The host of the last attempt, or null when none was tried. */
    public String host() {
        return host;
    }

    /** Whether any attempt of this request went to a pool in panic. */
    public boolean panic() {
        return panic;
    }

    public int attempts() {
        return attempts;
    }

    public int status() {
        return status;
    }

    public long durationNanos() {
        return durationNanos;
    }
}
