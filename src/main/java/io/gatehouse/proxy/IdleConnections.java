package io.gatehouse.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Closes kept-alive client connections that carry no request for {@code gatehouse.proxy.client-idle-timeout}
 * after their last answer (nginx's {@code keepalive_timeout}, also 75 s by default). Unlike a socket idle
 * timeout, a request in flight, however slow its backend, and an open WebSocket session are never cut by it:
 * the clock runs only while the connection has nothing in flight (Vert.x starts a request once its head is
 * complete, so the clock also bounds a next head sent slowly). Connections that have not completed a first
 * request are {@link ConnectionGuard}'s (request-head-timeout).
 *
 * <p>One per proxy server instance, confined to its event loop like the connections it watches. A
 * connection is forgotten when its clock runs out, closed or not, so nothing here outlives it by more
 * than the timeout.
 *
 * <p>A request costs no timer: the end of one notes the time, and a connection's single timer, when it fires,
 * closes the connection if it has been idle for the whole timeout or sleeps again for the rest of it (nginx's
 * timers are reset per request; setting and cancelling a Vert.x timer per request cost ~4 % of the event loops'
 * CPU under wrk, docs/benchmarks.md).
 */
final class IdleConnections {
    private static final Runnable NOTHING = () -> { };

    private final Vertx vertx;
    private final long timeoutMs;
    private final Map<HttpConnection, State> states = new HashMap<>();

    private static final class State {
        int inFlight;
        long idleSinceNanos;
        boolean armed;
    }

    IdleConnections(Vertx vertx, long timeoutMs) {
        this.vertx = vertx;
        this.timeoutMs = timeoutMs;
    }

    /** A request arrived on {@code connection}: its clock stops; run the answer when the request has ended. */
    Runnable requestStarted(HttpConnection connection) {
        if (timeoutMs <= 0 || connection == null) {
            return NOTHING;
        }
        State s = states.computeIfAbsent(connection, c -> new State());
        s.inFlight++;
        return () -> {
            s.inFlight--;
            if (s.inFlight == 0 && states.get(connection) == s) {
                s.idleSinceNanos = System.nanoTime();
                if (!s.armed) {
                    arm(connection, s, timeoutMs);
                }
            }
        };
    }

    private void arm(HttpConnection connection, State s, long delayMs) {
        s.armed = true;
        vertx.setTimer(Math.max(1, delayMs), id -> {
            s.armed = false;
            if (s.inFlight > 0) {
                return; // the end of what is in flight arms it again
            }
            long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s.idleSinceNanos);
            if (idleMs >= timeoutMs) {
                states.remove(connection);
                connection.close();
            } else {
                arm(connection, s, timeoutMs - idleMs);
            }
        });
    }
}
