package io.gatehouse.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;

import java.util.HashMap;
import java.util.Map;

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
 */
final class IdleConnections {
    private static final Runnable NOTHING = () -> { };

    private final Vertx vertx;
    private final long timeoutMs;
    private final Map<HttpConnection, State> states = new HashMap<>();

    private static final class State {
        int inFlight;
        long timer = -1;
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
        if (s.timer >= 0) {
            vertx.cancelTimer(s.timer);
            s.timer = -1;
        }
        return () -> {
            s.inFlight--;
            if (s.inFlight == 0 && states.get(connection) == s) {
                arm(connection, s);
            }
        };
    }

    private void arm(HttpConnection connection, State s) {
        s.timer = vertx.setTimer(timeoutMs, id -> {
            s.timer = -1;
            if (s.inFlight == 0) {
                states.remove(connection);
                connection.close();
            }
        });
    }
}
