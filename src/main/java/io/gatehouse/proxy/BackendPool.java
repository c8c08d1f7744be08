package io.gatehouse.proxy;

import io.gatehouse.balance.Endpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.impl.ContextInternal;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Keep-alive connections to backend hosts, for one proxy event loop: the client connections of that loop and the
 * backend connections they use share its thread, so a request, its backend connection and this pool need no
 * locks and no hand-over between threads (nginx's worker shape; Vert.x's own HttpClient kept the same affinity).
 *
 * <p>Per host (address, port, TLS and the TLS server name: an equal {@link Endpoint}) at most {@code maxPerHost}
 * connections ({@link HostConnections}); an acquire beyond that waits for one to be released or closed, in a queue of
 * any length (as Vert.x's pool was configured, {@code setMaxWaitQueueSize(-1)}) but for at most the connect timeout,
 * as Vert.x's pool bounded the wait by it too: then it fails with {@link Busy}, the proxy's own limit and not the
 * host's failure. Idle connections are reused newest first and closed after {@code keepAliveSeconds} unused (Vert.x's
 * keep-alive timeout, nginx's {@code keepalive_timeout}).
 *
 * <p>HTTPS out: Netty's {@link SslHandler} with the trust the proxy was given, the host name verified
 * ({@link BackendTrust#handler}). The handshake counts as part of connecting.
 */
final class BackendPool {

    /**
     * Vert.x's client limits (initial line 4 KiB, headers 8 KiB, chunks 8 KiB), and response headers decoded
     * straight into Vert.x's own map type, so {@link Headers#toClient} reads them without an adapter.
     */
    private static final HttpDecoderConfig DECODER = new HttpDecoderConfig()
            .setMaxInitialLineLength(4096).setMaxHeaderSize(8192).setMaxChunkSize(8192)
            .setHeadersFactory(new HttpHeadersFactory() {
                @Override
                public HttpHeaders newHeaders() {
                    return HeadersMultiMap.httpHeaders();
                }

                @Override
                public HttpHeaders newEmptyHeaders() {
                    return HeadersMultiMap.httpHeaders();
                }
            });

    private final EventLoop loop;
    private final ContextInternal context;
    private final AddressResolverGroup<InetSocketAddress> resolver;
    private final ChannelFactory<? extends Channel> channels;
    private final SslContext tls;
    private final int maxPerHost;
    private final long keepAliveNanos;
    private final Map<Endpoint, HostConnections> hosts = new HashMap<>();
    private final ScheduledFuture<?> sweep;
    private boolean closed;

    /** @param context the proxy verticle's context, whose event loop the pool's connections use */
    BackendPool(ContextInternal context, ChannelFactory<? extends Channel> channels,
                AddressResolverGroup<InetSocketAddress> resolver, SslContext tls, int maxPerHost, int keepAliveSeconds) {
        this.resolver = resolver;
        this.context = context;
        this.loop = context.nettyEventLoop();
        this.channels = channels;
        this.tls = tls;
        this.maxPerHost = maxPerHost;
        this.keepAliveNanos = TimeUnit.SECONDS.toNanos(keepAliveSeconds);
        long every = Math.max(1, Math.min(keepAliveSeconds, 5));
        this.sweep = loop.scheduleAtFixedRate(this::closeExpired, every, every, TimeUnit.SECONDS);
    }

    /**
     * A connection to {@code target}, idle or new, to {@code then} with (connection, null) or (null, cause) on
     * this loop. Connecting is bounded by {@code connectTimeoutMs} (TCP and the TLS handshake).
     */
    void acquire(Endpoint target, int connectTimeoutMs, BiConsumer<BackendConnection, Throwable> then) {
        HostConnections host = hosts.computeIfAbsent(target, HostConnections::new);
        BackendConnection idle = host.idle();
        if (idle != null) {
            then.accept(idle, null);
        } else if (host.open() < maxPerHost) {
            connect(host, connectTimeoutMs, then);
        } else {
            host.await(loop, connectTimeoutMs, then, () -> then.accept(null, new Busy(maxPerHost, connectTimeoutMs)));
        }
    }

    /** No connection to the host became free within the connect timeout: all {@code max} were in use. */
    static final class Busy extends RuntimeException {
        Busy(int max, int waitedMs) {
            super("all " + max + " connections to the host were in use for " + waitedMs + " ms", null, false, false);
        }
    }

    /** Back to the pool after a complete exchange on a keep-alive connection (or closed if the pool is). */
    void release(BackendConnection connection) {
        HostConnections host = hosts.get(connection.target());
        if (closed || host == null || !connection.usable()) {
            connection.close();
            return;
        }
        HostConnections.Waiter w = host.nextWaiting();
        if (w != null) {
            w.then.accept(connection, null);
            return;
        }
        host.idle(connection, System.nanoTime());
    }

    /** Closes every connection, idle or in use (the proxy instance stops). */
    void close() {
        closed = true;
        sweep.cancel(false);
        for (HostConnections host : List.copyOf(hosts.values())) {
            host.closeAll();
        }
    }

    private void connect(HostConnections host, int connectTimeoutMs, BiConsumer<BackendConnection, Throwable> then) {
        Endpoint target = host.target();
        BackendConnection connection = new BackendConnection(target, context);
        // Vert.x's resolver (hosts file, then its asynchronous DNS client), never a blocking lookup on the loop.
        Bootstrap bootstrap = new Bootstrap().group(loop).channelFactory(channels).resolver(resolver)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (target.tls()) {
                            ch.pipeline().addLast("tls", BackendTrust.handler(tls, ch, target));
                        }
                        ch.pipeline().addLast("http", new HttpClientCodec(DECODER, false, false));
                        ch.pipeline().addLast("exchange", connection);
                    }
                });
        ChannelFuture connecting = bootstrap.connect(target.address(), target.port());
        Channel ch = connecting.channel();
        host.opened(connection);
        ch.closeFuture().addListener(f -> closed(host, connection));
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                context.emit(null, v -> then.accept(null, f.cause()));
            } else if (target.tls()) {
                ch.pipeline().get(SslHandler.class).handshakeFuture().addListener(h -> {
                    if (h.isSuccess()) {
                        context.emit(null, v -> then.accept(connection, null));
                    } else {
                        ch.close();
                        context.emit(null, v -> then.accept(null, h.cause()));
                    }
                });
            } else {
                context.emit(null, v -> then.accept(connection, null));
            }
        });
    }

    private void closed(HostConnections host, BackendConnection connection) {
        host.closed(connection);
        HostConnections.Waiter w = closed ? null : host.nextWaiting();
        if (w != null) {
            context.emit(null, v -> connect(host, w.connectTimeoutMs, w.then));
            return;
        }
        if (host.unused()) {
            hosts.remove(host.target(), host);
        }
    }

    private void closeExpired() {
        long now = System.nanoTime();
        for (HostConnections host : List.copyOf(hosts.values())) {
            host.closeIdle(now, keepAliveNanos);
        }
    }
}
