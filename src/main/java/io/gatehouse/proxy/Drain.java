package io.gatehouse.proxy;

import io.netty.channel.Channel;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.TCPServerBase;
import org.jboss.logging.Logger;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Graceful stop of the proxy port: stop accepting, let the requests in flight finish up to a bound,
 * then close. Vert.x 4.5's {@code HttpServer.close()} cannot do this alone: it closes the listening
 * socket and every accepted connection together (its channel balancer closes the whole channel
 * group), cutting responses mid-body; a graceful {@code HttpServer.shutdown(timeout)} arrives only in
 * Vert.x 5. So the proxy counts requests in flight itself and closes just the listening channel first.
 *
 * <p>An upgraded connection (a WebSocket session, {@link Tunnel}) counts as in flight until it closes.
 * Sessions still open at the bound are closed by the drain itself: an idle session may legitimately
 * last for hours and must not hold a shutdown up, but it gets the whole bound to finish on its own.
 *
 * <p>While draining: new connections are refused by the OS (the listening channel is closed; should a
 * Vert.x upgrade move the field this reaches into, a connection accepted meanwhile is closed at once
 * instead, and a warning says so); requests on already open keep-alive connections are still served,
 * with {@code Connection: close} on HTTP/1.x so clients stop reusing them (RFC 9112 §9.6).
 */
final class Drain {
    private static final Logger LOG = Logger.getLogger(Drain.class);

    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private final Set<Tracked> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    /**
     * Counts {@code req} in flight until its response ends or, failing that, its connection closes, and
     * then runs {@code then} (exactly once; the proxy records the request there). A request that becomes
     * a tunnel is ended by the tunnel ({@link Tracked#holdOpen}).
     */
    Tracked track(HttpServerRequest req, Runnable then) {
        inFlight.incrementAndGet();
        HttpServerResponse res = req.response();
        Tracked tracked = new Tracked(then);
        // Called once the response is ended or, failing that, when the connection closes ("disposed").
        res.endHandler(tracked);
        if (req.version() != HttpVersion.HTTP_2) {
            res.headersEndHandler(v -> {
                // A 101 keeps its Connection: Upgrade; the session is closed at the drain's bound instead.
                if (draining && res.getStatusCode() != 101) {
                    res.headers().set(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
                }
            });
        }
        return tracked;
    }

    /** A connection that raced the listener's close is closed unanswered. */
    void onConnection(HttpConnection connection) {
        if (draining) {
            connection.close();
        }
    }

    void listening(HttpServer server) {
        servers.add(server);
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Stops accepting and completes when nothing is in flight or {@code timeout} has passed, whichever is first. */
    Future<Void> drain(Vertx vertx, Duration timeout) {
        draining = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Future<Void>> closed = servers.stream().map(Drain::closeListener).toList();
        return Future.join(closed).transform(ignored -> {
            Promise<Void> done = Promise.promise();
            if (inFlight.get() == 0) {
                done.complete();
                return done.future();
            }
            LOG.infof("proxy draining: %d request(s) in flight, waiting up to %s", inFlight.get(), timeout);
            vertx.setPeriodic(20, id -> {
                int left = inFlight.get();
                if (left == 0 || System.nanoTime() >= deadline) {
                    vertx.cancelTimer(id);
                    if (left > 0) {
                        LOG.warnf("proxy drain bound %s reached with %d request(s) in flight (%d upgraded session(s));"
                                + " closing them", timeout, left, sessions.size());
                        sessions.forEach(Tracked::close);
                    }
                    done.tryComplete();
                }
            });
            return done.future();
        });
    }

    /**
     * The Netty channel of the socket {@code server} listens on (TCPServerBase.actualServer.bindFuture), shared
     * by every server instance on the port; Vert.x 4.5 has no public way to it.
     */
    static Channel listeningChannel(HttpServer server) throws ReflectiveOperationException {
        Object actual = field("actualServer").get(server);
        Future<?> bind = (Future<?>) field("bindFuture").get(actual == null ? server : actual);
        if (bind != null && bind.result() instanceof Channel listener) {
            return listener;
        }
        throw new IllegalStateException("no bound listening channel");
    }

    /** Closes only the server's listening channel, not its connections. */
    private static Future<Void> closeListener(HttpServer server) {
        Promise<Void> closed = Promise.promise();
        try {
            listeningChannel(server).close().addListener(f -> closed.tryComplete());
            return closed.future();
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("cannot close the proxy's listening socket alone (%s); new connections are closed on accept "
                    + "while draining", e.toString());
            closed.tryComplete();
        }
        return closed.future();
    }

    private static Field field(String name) throws NoSuchFieldException {
        Field f = TCPServerBase.class.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    /**
     * One request in flight. Confined to the request's event loop, except {@link #close}, which the
     * drain calls from its timer and which must therefore be thread-safe.
     */
    final class Tracked implements Handler<Void> {
        private final Runnable then;
        private boolean done;
        private volatile Runnable closer;

        private Tracked(Runnable then) {
            this.then = then;
        }

        /** The response's end, or the connection's disposal. */
        @Override
        public void handle(Void ignored) {
            end();
        }

        /**
         * The request became a tunnel, which calls {@link #end} itself when it closes (Vert.x 4.5 never
         * ends a response that became a socket); {@code closer} (thread-safe) is run if the drain's bound
         * is reached first and must lead to {@link #end}.
         */
        void holdOpen(Runnable closer) {
            this.closer = closer;
            sessions.add(this);
        }

        /** Ends the request, once: out of the in-flight count, and recorded. */
        void end() {
            if (!done) {
                done = true;
                sessions.remove(this);
                inFlight.decrementAndGet();
                then.run();
            }
        }

        private void close() {
            Runnable c = closer;
            if (c != null) {
                c.run();
            }
        }
    }
}
