package io.gatehouse.proxy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The front of the proxy: {@code /{gateway}/{stage}/{path}} to a stage snapshot, a route, and an
 * {@link Exchange}. Reads the snapshot once per request; never blocks.
 */
final class ProxyHandler {

    private final SnapshotStore store;
    private final BackendPool pool;
    private final TrustedProxies trustedProxies;
    private final StalledBodies bodies;
    private final TenantIdentity tenants;

    ProxyHandler(SnapshotStore store, BackendPool pool, TrustedProxies trustedProxies,
                 StalledBodies bodies, TenantIdentity tenants) {
        this.store = store;
        this.bodies = bodies;
        this.pool = pool;
        this.trustedProxies = trustedProxies;
        this.tenants = tenants;
    }

    /**
     * Serves {@code req}, noting on {@code record} what it matched (recorded when {@code tracked} ends:
     * at the response's end, or at the end of a WebSocket session).
     */
    void handle(HttpServerRequest req, ProxiedRequest record, Drain.Tracked tracked) {
        String requestId = RequestIds.of(req);
        record.requestId(requestId);
        // The peer's text once per request: Vert.x renders it anew on every hostAddress() call.
        SocketAddress peerAddress = req.remoteAddress();
        String peer = peerAddress == null ? null : peerAddress.hostAddress();
        record.client(peer, trustedProxies.clientIp(req, peer));
        String path = req.path(); // raw, still percent-encoded
        int s1 = path == null || path.length() < 2 ? -1 : path.indexOf('/', 1);
        if (s1 < 0) {
            notFound(req, requestId, "the URL must be /{gateway}/{stage}/{resource path}");
            return;
        }
        int s2 = path.indexOf('/', s1 + 1);
        String key = s2 < 0 ? path.substring(1) : path.substring(1, s2);
        StageSnapshot snapshot = store.get(key);
        if (snapshot == null) {
            notFound(req, requestId, "no gateway stage /" + key + " is published here");
            return;
        }
        record.stage(key, snapshot);
        String[] segments = PathSegments.split(path, s2);
        int unsafe = PathSegments.check(segments);
        if (unsafe == PathSegments.DOT_SEGMENT) {
            badPath(req, requestId, "the path must not contain . or .. segments, plain or percent-encoded");
            return;
        }
        Router.Match match = snapshot.router().match(req.method().name(), segments);
        if (match instanceof Router.Found f) {
            record.route(f.route(), snapshot);
            if (unsafe == PathSegments.ENCODED_SLASH && !f.route().upstream().keepsEncodedSlashes()) {
                badPath(req, requestId, "the path must not contain an encoded slash or backslash (%2F, %5C)");
                return;
            }
            String uri = f.route().backendUri(f.segments(), f.consumed(), req.query());
            Future<TenantIdentity.Outcome> admitted = tenants.admit(req, snapshot.gateway(), f.route());
            if (admitted.isComplete()) {
                proceed(req, f.route(), uri, requestId, key, record, tracked, admitted);
            } else {
                // A JWT whose issuer's keys are being fetched: hold the body, and come back to this event loop.
                req.pause();
                Context context = Vertx.currentContext();
                admitted.onComplete(ar -> context.runOnContext(v ->
                        proceed(req, f.route(), uri, requestId, key, record, tracked, admitted)));
            }
        } else if (match instanceof Router.MethodNotAllowed m) {
            req.resume();
            String allow = String.join(", ", m.allow().stream().sorted().toList());
            Problems.send(req.response(), 405, "method_not_allowed", "Method not allowed",
                    req.method().name() + " is not allowed here; allowed: " + allow, requestId,
                    HttpHeaders.ALLOW.toString(), allow);
        } else {
            notFound(req, requestId, "no resource of /" + key + " matches " + req.method().name() + " " + path);
        }
    }

    private void proceed(HttpServerRequest req, Route route, String uri, String requestId, String key,
                         ProxiedRequest record, Drain.Tracked tracked, Future<TenantIdentity.Outcome> admitted) {
        if (admitted.failed()) {
            req.resume();
            Problems.send(req.response(), 502, "proxy_error", "Proxy error", "the proxy could not forward this request",
                    requestId);
            return;
        }
        if (admitted.result() instanceof TenantIdentity.Refused r) {
            record.declaredTenant(r.tenant());
            req.resume(); // drop an unread body so a keep-alive connection stays usable
            Problems.send(req.response(), r.status(), r.code(), r.title(), r.detail(), requestId, r.headers());
            return;
        }
        TenantIdentity.Admitted a = (TenantIdentity.Admitted) admitted.result();
        String tenant = a.tenant();
        if (a.declared()) {
            record.declaredTenant(tenant);
        }
        new Exchange(req, pool, route, uri, requestId, "/" + key, record, tracked, bodies, tenant).start();
    }

    private static void notFound(HttpServerRequest req, String requestId, String detail) {
        req.resume();
        Problems.send(req.response(), 404, "not_found", "Not found", detail, requestId);
    }

    private static void badPath(HttpServerRequest req, String requestId, String detail) {
        req.resume();
        Problems.send(req.response(), 400, "bad_path", "Bad path", detail, requestId);
    }
}
