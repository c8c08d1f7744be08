package io.gatehouse.proxy;

import io.gatehouse.balance.Outcome;
import io.gatehouse.balance.PoolSet;
import io.gatehouse.balance.RequestAttributes;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

import java.util.HashSet;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client request on its way through the proxy: pick a host, take a connection to it from the event loop's
 * {@link BackendPool}, forward ({@link Attempt}), and retry on another host when that is safe. Lives on the
 * request's event loop; every callback below runs there, so its fields need no synchronisation.
 *
 * <p>A request whose body has started to flow is never retried: re-sending it would mean buffering it. A
 * WebSocket upgrade ({@link Headers#isWebSocketUpgrade}) takes the same path up to the backend's answer: same
 * host choice, retries, headers and failures; a 101 turns the backend connection into a {@link Tunnel}.
 */
final class Exchange {

    private static final Logger LOG = Logger.getLogger(Exchange.class.getName());

    /** RFC 9110 §9.2.2; TRACE omitted as we do not forward it specially. */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE");

    final HttpServerRequest req;
    final Upstream up;
    final String tenant;
    final String uri;
    final String prefix;
    final String requestId;
    /** The connection's peer address (X-Forwarded-For appends it). */
    final String peer;
    final boolean hasBody;
    final boolean upgrade;
    final boolean trace;
    final Drain.Tracked tracked;
    final StalledBodies bodies;
    private final BackendPool pool;
    private final Route route;
    private final RequestAttributes attributes;
    private final boolean idempotent;
    private final ProxiedRequest record;
    private Set<String> tried = Set.of();
    private int retriesLeft;
    boolean bodyStarted;
    boolean clientGone;
    private Attempt current;

    /** @param tenant the request's tenant as {@link TenantIdentity} admitted it (verified or a hint), or null */
    Exchange(HttpServerRequest req, BackendPool pool, Route route, String uri,
             String requestId, String prefix, ProxiedRequest record, Drain.Tracked tracked, StalledBodies bodies,
             String tenant) {
        this.req = req;
        this.pool = pool;
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
        this.peer = record.peer();
        this.prefix = prefix;
        this.hasBody = Headers.hasBody(req);
        // A WebSocket handshake has no body (RFC 6455 §4.1); one that claims one is proxied as a plain GET.
        this.upgrade = !hasBody && Headers.isWebSocketUpgrade(req);
        this.idempotent = IDEMPOTENT.contains(req.method().name());
        this.retriesLeft = up.retries();
        this.trace = UpstreamTrace.requested(req);
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
        long t0 = System.nanoTime();
        record.attempt(host.host().url());
        pool.acquire(host.host().endpoint(), up.connectTimeoutMs(), (connection, cause) -> guarded(() -> {
            if (cause != null) {
                // No connection (refused, unreachable, connect timeout, TLS handshake): nothing was sent, so
                // any method may go to another host.
                Outcome outcome = cause instanceof BackendPool.Busy ? Outcome.BUSY : Outcomes.ofConnect(cause);
                report(host, System.nanoTime() - t0, outcome, 0);
                retryOrFail(host, outcome, true);
                return;
            }
            if (clientGone) {
                pool.release(connection); // nothing was sent on it
                return;
            }
            current = new Attempt(this, host, connection, t0);
            current.send();
        }));
    }

    /** The attempt's connection closed, reset or timed out before a response head. */
    void failedBeforeHead(Attempt attempt, Throwable cause) {
        // A client that went away made us reset the request: that says nothing about the host.
        Outcome outcome = clientGone ? Outcome.CANCELLED : Outcomes.ofExchange(cause);
        report(attempt.host, System.nanoTime() - attempt.t0, outcome, 0);
        retryOrFail(attempt.host, outcome, idempotent && !bodyStarted);
    }

    /**
     * The backend answered. Its answer counts against it, and is retried, only when its status is one the
     * config lists ({@code passive_health.http_statuses}); otherwise it is the application's answer and
     * goes to the client as is, 5xx included (nginx without {@code proxy_next_upstream http_5xx}).
     *
     * @return whether the answer goes to the client (false: it was discarded for a retry)
     */
    boolean answered(Attempt attempt, int status, long headNanos) {
        if (up.failsOn(status) && idempotent && !bodyStarted && retriesLeft > 0 && !clientGone) {
            report(attempt.host, headNanos, Outcome.STATUS, status);
            retriesLeft--;
            tried(attempt.host);
            next(null);
            return false;
        }
        return true;
    }

    /**
     * The client stopped sending its body (client-body-timeout): 408 if no answer has started (RFC 9110
     * §15.5.9, with Connection: close), the backend request reset so it never takes a cut body for a whole one,
     * and the connection closed, since the rest of the body will not come. Not the backend's failure: no passive
     * mark, no retry.
     */
    void bodyStalled() {
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

    /** A bug here must cost one request a 502, never leave it hanging. */
    void guarded(Runnable step) {
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

    BackendPool pool() {
        return pool;
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
    void report(PoolSet.Chosen host, long nanos, Outcome outcome, int status) {
        up.pools().report(host, nanos, outcome, status);
    }

    private void fail(Outcome failure) {
        if (failure != Outcome.CANCELLED) { // else the client is gone; nothing to answer
            Outcomes.Answer a = Outcomes.answer(failure, route.name(), up);
            fail(a.status(), a.code(), a.title(), a.detail());
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
}
