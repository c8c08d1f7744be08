package io.gatehouse.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.AttributeKey;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.impl.Http1xServerConnection;
import io.vertx.core.net.impl.ConnectionBase;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The proxy port's defence against clients that hold connections without using them (issue 15: 22,000
 * half-sent heads exhausted the process's descriptors, and the console and health probes died with the proxy):
 * <ul>
 * <li>a cap on concurrent client connections ({@code gatehouse.proxy.max-connections}): a connection accepted
 *     above it is closed at once, before any HTTP object exists for it, and counted (nginx's
 *     {@code worker_connections}, Envoy's {@code max_downstream_connections});</li>
 * <li>a request head timeout ({@code gatehouse.proxy.request-head-timeout}, nginx's {@code client_header_timeout},
 *     Envoy's {@code request_headers_timeout}): a connection whose first request head is not complete this long
 *     after it was accepted is closed, with a 408 when it had begun an HTTP/1.x head. Later heads on a kept-alive
 *     connection are bounded by {@link IdleConnections}, whose clock runs until the next request is complete.</li>
 * </ul>
 * Both act on the listening socket's Netty channel, where every accepted connection passes: Vert.x calls its
 * connection handler only once the first bytes arrive (with h2c on, it must see them to tell HTTP/1.1 from
 * HTTP/2), so a connection that sends nothing would never be counted or timed there.
 *
 * <p>Cost on the hot path: per connection, one small object, a set insert and removal and one attribute;
 * per request, nothing for HTTP/1.x ({@link #connected}: with h2c on, Vert.x's connection handler runs when the
 * first head is complete) and one attribute read for HTTP/2. Heads are timed by one periodic sweep per proxy
 * server, not a timer per connection.
 */
final class ConnectionGuard implements ClientConnectionStats {
    private static final Logger LOG = Logger.getLogger(ConnectionGuard.class);
    private static final AttributeKey<Pending> PENDING = AttributeKey.valueOf("gatehouse.pending-head");
    private static final String HANDLER = "gatehouse-connection-guard";

    private final int maxConnections;
    private final long headTimeoutNanos;
    private final String headTimeoutText;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder refused = new LongAdder();
    private final LongAdder headTimeouts = new LongAdder();
    private final LongAdder bodyTimeouts = new LongAdder();
    private final Set<Pending> pending = ConcurrentHashMap.newKeySet();
    private final Acceptor acceptor = new Acceptor();
    private final byte[] requestTimeout;
    private long sweeper = -1;

    ConnectionGuard(int maxConnections, Duration headTimeout) {
        this.maxConnections = maxConnections;
        this.headTimeoutNanos = headTimeout.toNanos();
        this.headTimeoutText = headTimeout.toString().substring(2).toLowerCase();
        String body = "{\"type\":\"https://gatehouse.dev/problems/request_timeout\",\"title\":\"Request timeout\","
                + "\"status\":408,\"detail\":\"the request head was not complete within " + headTimeoutText + "\","
                + "\"code\":\"request_timeout\"}";
        // RFC 9110 §15.5.9: the server closes the connection, so it says so.
        this.requestTimeout = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: " + Problems.MEDIA_TYPE
                + "\r\nCache-Control: no-store\r\nConnection: close\r\nContent-Length: " + body.length() + "\r\n\r\n"
                + body).getBytes(StandardCharsets.US_ASCII);
    }

    /** Starts the head sweep on {@code vertx}: every tenth of the timeout, between 50 ms and 1 s. */
    void start(Vertx vertx) {
        if (headTimeoutNanos > 0) {
            long every = Math.max(50, Math.min(1000, Duration.ofNanos(headTimeoutNanos).toMillis() / 10));
            sweeper = vertx.setPeriodic(every, id -> sweep());
        }
    }

    void stop(Vertx vertx) {
        if (sweeper >= 0) {
            vertx.cancelTimer(sweeper);
            sweeper = -1;
        }
    }

    /**
     * Puts the guard in front of the listening socket of {@code server}; once per port (the server instances of
     * one port share its socket). Should Vert.x move what this reaches into, the port runs unguarded and a
     * warning says so.
     */
    void install(HttpServer server) {
        try {
            ChannelPipeline pipeline = Drain.listeningChannel(server).pipeline();
            synchronized (this) {
                if (pipeline.get(HANDLER) == null) {
                    pipeline.addFirst(HANDLER, acceptor);
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("cannot reach the proxy's listening socket (%s): gatehouse.proxy.max-connections and "
                    + "request-head-timeout are not enforced", e.toString());
        }
    }

    /** Vert.x's connection handler. With h2c on, for HTTP/1.x that is when the first request head is complete. */
    void connected(HttpConnection connection) {
        if (connection instanceof Http1xServerConnection) {
            headComplete(connection);
        }
    }

    /** A request head arrived on {@code connection}: its head clock, if still running, stops for good. */
    void headComplete(HttpConnection connection) {
        if (headTimeoutNanos > 0 && connection instanceof ConnectionBase base && base.channel().hasAttr(PENDING)) {
            Pending p = base.channel().attr(PENDING).getAndSet(null);
            if (p != null) {
                pending.remove(p);
            }
        }
    }

    void bodyTimedOut() {
        bodyTimeouts.increment();
    }

    @Override
    public int open() {
        return open.get();
    }

    @Override
    public int max() {
        return maxConnections;
    }

    @Override
    public long refused() {
        return refused.sum();
    }

    @Override
    public long headTimeouts() {
        return headTimeouts.sum();
    }

    @Override
    public long bodyTimeouts() {
        return bodyTimeouts.sum();
    }

    /** On the listening socket's event loop, before the connection is registered or has a pipeline. */
    private boolean admit(Channel child) {
        // Only this thread increments, so the check and the increment need no lock.
        if (open.get() >= maxConnections) {
            refused.increment();
            child.unsafe().closeForcibly();
            return false;
        }
        open.incrementAndGet();
        Pending p = new Pending(child, System.nanoTime());
        child.closeFuture().addListener(p);
        if (headTimeoutNanos > 0) {
            child.attr(PENDING).set(p);
            pending.add(p);
        }
        return true;
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Pending p : pending) {
            if (now - p.since >= headTimeoutNanos && p.channel.isRegistered() && pending.remove(p)) {
                p.channel.eventLoop().execute(() -> expire(p));
            }
        }
    }

    /** On the connection's event loop: unless its head completed meanwhile, the connection is closed. */
    private void expire(Pending p) {
        Channel ch = p.channel;
        if (!ch.attr(PENDING).compareAndSet(p, null) || !ch.isActive()) {
            return;
        }
        headTimeouts.increment();
        ChannelPipeline pipeline = ch.pipeline();
        if (pipeline.get("httpDecoder") != null && pipeline.get("handler") == null) {
            // An HTTP/1.x head has begun (Vert.x added its decoder on the first bytes): answer 408, written
            // straight to the socket, past the half-fed decoder.
            pipeline.firstContext().writeAndFlush(Unpooled.wrappedBuffer(requestTimeout))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            // Nothing sent (nothing to answer, as nginx does), or an HTTP/2 connection without a request.
            ch.close();
        }
    }

    /** A connection accepted under the cap: its start, and what runs when it closes. */
    private final class Pending implements ChannelFutureListener {
        final Channel channel;
        final long since;

        Pending(Channel channel, long since) {
            this.channel = channel;
            this.since = since;
        }

        @Override
        public void operationComplete(ChannelFuture closed) {
            open.decrementAndGet();
            pending.remove(this);
        }
    }

    @ChannelHandler.Sharable
    private final class Acceptor extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof Channel child) || admit(child)) {
                ctx.fireChannelRead(msg);
            }
        }
    }
}
