package io.gatehouse.proxy;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * {@code gatehouse.proxy.client-body-timeout}: a request body the proxy is ready to read but the client does not
 * send for this long ends the request (nginx's {@code client_body_timeout}, 60 s there too, also measured between
 * two reads, not over the whole body). Time the proxy itself is not reading, because the backend has not taken
 * what was sent (reading is paused on a full backend connection), never counts: a slow backend is {@code read_ms}'s
 * business.
 *
 * <p>One per proxy server instance, confined to its event loop like the requests it watches. A body counts its
 * chunks (one increment each, no clock read) and one periodic sweep compares the counts with its last look, so a
 * stall is seen between one and one-and-a-tenth timeouts after the last chunk.
 */
final class StalledBodies {
    private final long timeoutMs;
    private final long everyMs;
    private final Set<Watch> watched = new HashSet<>();
    private final ConnectionGuard counts;

    /** Starts the sweep on the caller's context (the proxy verticle's), which stops it at undeploy. */
    StalledBodies(Vertx vertx, long timeoutMs, ConnectionGuard counts) {
        this.timeoutMs = timeoutMs;
        this.counts = counts;
        this.everyMs = Math.max(50, Math.min(1000, timeoutMs / 10));
        if (timeoutMs > 0) {
            vertx.setPeriodic(everyMs, id -> sweep());
        }
    }

    long timeoutMs() {
        return timeoutMs;
    }

    void countTimeout() {
        counts.bodyTimedOut();
    }

    /**
     * The body of {@code req} as a stream to forward to a backend connection that is full (not taking more) while
     * {@code backendFull} says so; {@code stalled} runs (once) should it stall. {@link Watch#stop} when the body
     * has been forwarded or the forwarding ended.
     */
    Watch watch(HttpServerRequest req, BooleanSupplier backendFull, Runnable stalled) {
        Watch w = new Watch(req, backendFull, stalled);
        if (timeoutMs > 0) {
            watched.add(w);
        }
        return w;
    }

    private void sweep() {
        if (watched.isEmpty()) {
            return;
        }
        List<Watch> stalled = null;
        for (Watch w : watched) {
            if (w.chunks != w.seen || w.backendFull.getAsBoolean()) {
                w.seen = w.chunks;
                w.idleMs = 0;
            } else if ((w.idleMs += everyMs) >= timeoutMs) {
                if (stalled == null) {
                    stalled = new ArrayList<>(2);
                }
                stalled.add(w);
            }
        }
        if (stalled != null) {
            for (Watch w : stalled) {
                watched.remove(w);
                w.stalled.run();
            }
        }
    }

    /** The request as a {@link ReadStream} that counts the chunks it passes on. */
    final class Watch implements ReadStream<Buffer> {
        private final HttpServerRequest req;
        private final BooleanSupplier backendFull;
        private final Runnable stalled;
        private int chunks;
        private int seen;
        private long idleMs;

        private Watch(HttpServerRequest req, BooleanSupplier backendFull, Runnable stalled) {
            this.req = req;
            this.backendFull = backendFull;
            this.stalled = stalled;
        }

        void stop() {
            watched.remove(this);
        }

        @Override
        public Watch handler(Handler<Buffer> handler) {
            req.handler(handler == null ? null : chunk -> {
                chunks++;
                handler.handle(chunk);
            });
            return this;
        }

        @Override
        public Watch exceptionHandler(Handler<Throwable> handler) {
            req.exceptionHandler(handler);
            return this;
        }

        @Override
        public Watch pause() {
            req.pause();
            return this;
        }

        @Override
        public Watch resume() {
            req.resume();
            return this;
        }

        @Override
        public Watch fetch(long amount) {
            req.fetch(amount);
            return this;
        }

        @Override
        public Watch endHandler(Handler<Void> endHandler) {
            req.endHandler(endHandler);
            return this;
        }
    }
}
