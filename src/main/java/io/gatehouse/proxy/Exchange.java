package io.gatehouse.proxy;

import io.gatehouse.balance.Outcome;
import io.gatehouse.balance.PoolSet;
import io.gatehouse.balance.RequestAttributes;
import io.gatehouse.stage.HostUrl;
import io.gatehouse.stage.BackendConfig;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;

import java.util.HashSet;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client request on its way through the proxy: pick a host, connect, stream the request body
 * and the response back, and retry on another host when that is safe. Lives on the request's event
 * loop; every callback below runs there, so its fields need no synchronisation.
 *
 * <p>Streaming both ways is Vert.x's pipe (backpressure: a slow reader pauses the writer's source),
 * so a body is never held whole. That is also why a request whose body has started to flow is never
 * retried: re-sending it would mean buffering it.
 *
 * <p>A WebSocket upgrade ({@link Headers#isWebSocketUpgrade}) takes the same path up to the backend's
 * answer: same host choice, retries, headers and failures. It is sent with {@code connect()}, so that
 * a 101 turns the backend connection into a raw socket, and the {@link Tunnel} takes over from there.
 */
final class Exchange {

    /** RFC 9110 §9.2.2; TRACE omitted as we do not forward it specially. */
    private static final Logger LOG = Logger.getLogger(Exchange.class.getName());

    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE");

    private final HttpServerRequest req;
    private final HttpClient client;
    private final Route route;
    private final Upstream up;
    private final String tenant;
    private final RequestAttributes attributes;
    private final String uri;
    private final String prefix;
    private final String requestId;
    private final boolean hasBody;
    private final boolean idempotent;
    private final boolean trace;
    private final ProxiedRequest record;
    private final Drain.Tracked tracked;
    private final StalledBodies bodies;
    private final boolean upgrade;
    private Set<String> tried = Set.of();
    private int retriesLeft;
    private boolean bodyStarted;
    private boolean clientGone;
    private HttpClientRequest current;

    /** @param tenant the request's tenant as {@link TenantIdentity} admitted it (verified or a hint), or null */
    Exchange(HttpServerRequest req, HttpClient client, Route route, String uri,
             String requestId, String prefix, ProxiedRequest record, Drain.Tracked tracked, StalledBodies bodies,
             String tenant) {
        this.req = req;
        this.client = client;
        this.route = route;
        this.up = route.upstream();
        this.tenant = tenant;
        this.record = record;
        this.tracked = tracked;
        this.bodies = bodies;
        if (tenant != null) {
            record.tenant(tenant, up.pools().tenantPools().containsKey(tenant));
        }
        this.attributes = new VertxRequestAttributes(req, record.clientIp());
        this.uri = uri;
        this.requestId = requestId;
        this.prefix = prefix;
        this.hasBody = hasBody(req);
        // A WebSocket handshake has no body (RFC 6455 §4.1); one that claims one is proxied as a plain GET.
        this.upgrade = !hasBody && Headers.isWebSocketUpgrade(req);
        this.idempotent = IDEMPOTENT.contains(req.method().name());
        this.retriesLeft = up.retries();
        this.trace = UpstreamTrace.requested(req);
    }

    /** Whether the request carries a body we must stream (RFC 9112 §6.3 for HTTP/1.1). */
    private static boolean hasBody(HttpServerRequest req) {
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            return !length.equals("0");
        }
        if (req.version() != HttpVersion.HTTP_2) {
            return req.headers().contains(HttpHeaders.TRANSFER_ENCODING);
        }
        // HTTP/2 frames bodies without a length; a GET, HEAD, OPTIONS or DELETE without one has none.
        String m = req.method().name();
        return !(m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS") || m.equals("DELETE"));
    }

    /** Must run in the request handler itself, before any asynchronous step, so no body byte is lost. */
    void start() {
        req.pause();
        req.response().closeHandler(v -> {
            clientGone = true;
            if (current != null) {
                current.reset();
            }
        });
        next(null);
    }

    /** The next attempt, on a host not tried yet; {@code last} is how the previous one failed, or null. */
    private void next(Outcome last) {
        PoolSet.Pick pick = up.pools().choose(tenant, attributes, tried);
        if (pick instanceof PoolSet.Chosen chosen) {
            if (chosen.fellBack()) {
                record.fellBackToDefaults();
            }
            if (chosen.panic()) {
                record.markPanic();
            }
            attempt(chosen);
        } else if (last != null) {
            fail(last);
        } else {
            fail(503, "no_healthy_host", "No healthy host",
                    ((PoolSet.NoHost) pick).detail() + " for resource " + route.name());
        }
    }

    private void attempt(PoolSet.Chosen host) {
        HostUrl endpoint = up.endpoint(host.host().configuredUrl());
        RequestOptions options = new RequestOptions()
                .setMethod(req.method())
                .setHost(connectHost(endpoint))
                .setPort(endpoint.port())
                .setServer(Upstream.server(host.host(), endpoint))
                .setSsl(endpoint.tls())
                .setURI(uri)
                .setConnectTimeout(up.connectTimeoutMs());
        if (!hasBody) {
            // For an upgrade too: Vert.x cancels a request's idle timeout when the response head
            // arrives, so read_ms bounds the wait for the 101 and never an established session
            // (ProxyWebSocketTest has an idle session outlive it).
            options.setIdleTimeout(up.readTimeoutMs());
        }
        long t0 = System.nanoTime();
        record.attempt(host.host().url());
        client.request(options).onComplete(ar -> guarded(() -> connected(host, endpoint, t0, ar)));
    }

    private void connected(PoolSet.Chosen host, HostUrl endpoint, long t0, AsyncResult<HttpClientRequest> ar) {
        if (ar.failed()) {
            // No connection (refused, unreachable, connect timeout): nothing was sent, so any
            // method may go to another host.
            Outcome outcome = Outcomes.ofConnect(ar.cause());
            report(host, System.nanoTime() - t0, outcome, 0);
            retryOrFail(host, outcome, true);
            return;
        }
        HttpClientRequest creq = ar.result();
        current = creq;
        if (clientGone) {
            creq.reset();
        }
        creq.authority(authority(endpoint));
        backendHeaders(creq.headers());
        Future<HttpClientResponse> response;
        if (hasBody) {
            bodyStarted = true;
            if (!req.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
                creq.setChunked(true);
            }
            // endOnFailure(false): a client that aborts mid-upload must not look like a complete
            // (shorter) body to the backend, so the backend request is reset instead.
            // The read timeout starts once the body is sent: Vert.x's idle timeout counts only bytes
            // received, so armed earlier it would cut a slow upload the backend is still reading.
            StalledBodies.Watch body = bodies.watch(req, creq, () -> guarded(this::bodyStalled));
            body.pipe().endOnFailure(false).to(creq).onComplete(sent -> {
                body.stop();
                if (sent.succeeded()) {
                    creq.idleTimeout(up.readTimeoutMs());
                } else {
                    creq.reset(0, sent.cause());
                }
            });
            response = creq.response();
        } else if (upgrade) {
            // Failures before the 101 come through connect()'s future; after it the connection is the
            // Tunnel's, whose close handlers end the session. Without a handler, Vert.x would log every
            // session's end as an ERROR ("Connection was closed") against this finished request.
            creq.exceptionHandler(ignored -> { });
            response = creq.connect();
        } else {
            response = creq.send();
        }
        response.onComplete(r -> guarded(() -> {
            if (r.failed()) {
                // A client that went away made us reset the request: that says nothing about the host.
                Outcome outcome = clientGone ? Outcome.CANCELLED : Outcomes.ofExchange(r.cause());
                report(host, System.nanoTime() - t0, outcome, 0);
                creq.reset();
                retryOrFail(host, outcome, idempotent && !bodyStarted);
            } else {
                relay(host, t0, r.result());
            }
        }));
    }

    /**
     * The client stopped sending its body (client-body-timeout): 408 if no answer has started (RFC 9110
     * §15.5.9, with Connection: close), the backend request reset so it never takes a cut body for a whole one,
     * and the connection closed, since the rest of the body will not come. Not the backend's failure: no passive
     * mark, no retry.
     */
    private void bodyStalled() {
        if (clientGone) {
            return;
        }
        clientGone = true;
        bodies.countTimeout();
        HttpServerResponse res = req.response();
        Problems.send(res, 408, "request_timeout", "Request timeout", "the request body sent nothing for "
                + bodies.timeoutMs() + " ms", requestId, HttpHeaders.CONNECTION.toString(), "close");
        if (current != null) {
            current.reset();
        }
        if (req.version() == HttpVersion.HTTP_2) {
            res.reset();
        } else {
            res.close();
        }
    }

    /**
     * The backend request's headers, written straight into the client request's own map (a map of our own
     * passed in RequestOptions would be copied into it once more, per request).
     */
    private void backendHeaders(MultiMap out) {
        Headers.toBackend(req, requestId, prefix, out);
        TenantIdentity.forward(out, up.tenantPolicy(), tenant);
        if (up.config().stripsTenantHeader()) {
            out.remove(up.tenantHeader());
        }
        if (upgrade) {
            Headers.keepUpgrade(req.headers(), out);
        }
    }

    /** A bug here must cost one request a 502, never leave it hanging. */
    private void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "proxying " + req.method() + " " + req.path() + " failed", e);
            if (current != null) {
                current.reset();
            }
            fail(502, "proxy_error", "Proxy error", "the proxy could not forward this request");
        }
    }

    /**
     * The backend answered. Its answer counts against it, and is retried, only when its status is one the
     * config lists ({@code passive_health.http_statuses}); otherwise it is the application's answer and
     * goes to the client as is, 5xx included (nginx without {@code proxy_next_upstream http_5xx}).
     */
    private void relay(PoolSet.Chosen host, long t0, HttpClientResponse cres) {
        long headNanos = System.nanoTime() - t0;
        int status = cres.statusCode();
        Outcome outcome = up.failsOn(status) ? Outcome.STATUS : Outcome.SUCCESS;
        if (outcome == Outcome.STATUS && idempotent && !bodyStarted && retriesLeft > 0 && !clientGone) {
            report(host, headNanos, outcome, status);
            cres.exceptionHandler(ignored -> { });
            cres.request().reset(); // discard this answer; closing is cheaper than draining an error page
            retriesLeft--;
            tried(host);
            next(null);
            return;
        }
        if (upgrade && status == 101) {
            new Tunnel(req, tracked).open(cres, requestId, trace ? host.host().url() : null,
                    () -> report(host, headNanos, outcome, status));
            return;
        }
        HttpServerResponse sres = req.response();
        sres.setStatusCode(status);
        String message = cres.statusMessage();
        if (message != null && !message.equals(HttpResponseStatus.valueOf(status).reasonPhrase())) {
            sres.setStatusMessage(message); // a custom reason phrase; the standard one costs an object per response
        }
        Headers.toClient(cres.headers(), sres.headers());
        sres.headers().set(Headers.X_REQUEST_ID, requestId);
        UpstreamTrace.answer(sres.headers(), trace, host.host().url());
        if (!sres.headers().contains(HttpHeaders.CONTENT_LENGTH) && mayHaveBody(status)
                && req.version() != HttpVersion.HTTP_2) {
            sres.setChunked(true);
        }
        // endOnFailure(false): if the backend dies mid-body, the client must see a cut connection, not
        // a well-formed shorter response.
        cres.pipe().endOnFailure(false).to(sres).onComplete(ar -> {
            report(host, headNanos, outcome, status);
            // A client already gone needs no reset. When its write failed, Netty has closed the channel but Vert.x
            // hears of it only on a later turn of the loop: resetting now would write to the closed channel (a
            // released-buffer WARN with a stack trace each) and leave the request in flight until the drain bound.
            if (ar.failed()) {
                Vertx.currentContext().runOnContext(v -> {
                    if (!sres.closed()) {
                        sres.reset();
                    }
                });
            }
        });
    }

    private boolean mayHaveBody(int status) {
        return status >= 200 && status != 204 && status != 304 && !req.method().name().equals("HEAD");
    }

    private void retryOrFail(PoolSet.Chosen host, Outcome failure, boolean retryable) {
        if (clientGone) {
            return;
        }
        if (retryable && retriesLeft > 0) {
            retriesLeft--;
            tried(host);
            next(failure);
            return;
        }
        fail(failure);
    }

    private void tried(PoolSet.Chosen host) {
        if (tried.isEmpty()) {
            tried = new HashSet<>(4);
        }
        tried.add(host.host().url());
    }

    /** The one feedback call per attempt: in-flight, latency and the passive mark (see {@link PoolSet#report}). */
    private void report(PoolSet.Chosen host, long nanos, Outcome outcome, int status) {
        up.pools().report(host, nanos, outcome, status);
    }

    private void fail(Outcome failure) {
        if (failure == Outcome.CANCELLED) {
            return; // the client is gone; nothing to answer
        }
        if (failure == Outcome.READ_TIMEOUT) {
            fail(504, "backend_timeout", "Backend timeout",
                    "no response from the backend within " + up.readTimeoutMs() + " ms");
        } else if (failure == Outcome.TLS_FAILED) {
            fail(502, "backend_tls_failed", "Backend TLS handshake failed", "the TLS handshake with a backend host"
                    + " of resource " + route.name() + " failed: its certificate is not trusted, has expired or"
                    + " does not name the host (see gatehouse.proxy.tls.ca-file)");
        } else {
            fail(502, "backend_unreachable", "Backend unreachable",
                    "could not reach a backend host for resource " + route.name());
        }
    }

    private void fail(int status, String code, String title, String detail) {
        if (clientGone) {
            return;
        }
        if (!bodyStarted) {
            req.resume(); // drop an unread body so a keep-alive connection stays usable
        }
        Problems.send(req.response(), status, code, title, detail, requestId);
    }

    /** The address to connect to: an IPv6 literal without its brackets. */
    private static String connectHost(HostUrl endpoint) {
        String h = endpoint.host();
        return h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
    }

    /** The Host header the backend gets (pass_host): the client's, the host's own, or a fixed one. */
    private HostAndPort authority(HostUrl endpoint) {
        return switch (up.passHost()) {
            case PASS -> req.authority() != null ? req.authority() : nodeAuthority(endpoint);
            case NODE -> nodeAuthority(endpoint);
            case REWRITE -> HostAndPort.parseAuthority(up.upstreamHost(), -1); // validated at compile
        };
    }

    private static HostAndPort nodeAuthority(HostUrl endpoint) {
        boolean defaultPort = endpoint.port() == (endpoint.tls() ? 443 : 80);
        return HostAndPort.authority(endpoint.host(), defaultPort ? -1 : endpoint.port());
    }
}
