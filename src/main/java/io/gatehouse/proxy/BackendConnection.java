package io.gatehouse.proxy;

import io.gatehouse.balance.Endpoint;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Handler;
import io.vertx.core.impl.ContextInternal;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One keep-alive connection to a backend host, the last handler of its Netty pipeline (after TLS and
 * {@code HttpClientCodec}): it hands what the backend sends to the {@link Listener} of the exchange using it, one
 * exchange at a time, and times the wait for a response head ({@code read_ms}).
 *
 * <p>The read timer is armed once per connection and pushed forward by a deadline field rather than set and
 * cancelled per request (the way Netty's own {@code IdleStateHandler} avoids a scheduled task per event).
 */
final class BackendConnection extends ChannelInboundHandlerAdapter {

    /** What one exchange hears from its backend connection; every call on the connection's event loop. */
    interface Listener {
        /** The final response head (1xx other than 101 are skipped). */
        void head(HttpResponse head);

        /** A body chunk; the listener owns (and releases) it. */
        void content(ByteBuf chunk);

        /**
         * The response is complete; {@code last} is its last chunk (owned by the listener) or null, {@code reusable}
         * whether the connection is still open (the listener decides, by its head and its request, whether to reuse it).
         */
        void end(ByteBuf last, boolean reusable);

        /** The connection closed, failed or timed out before the response was complete. */
        void failed(Throwable cause);

        /** The connection's write side drained below, or filled above, Netty's watermarks. */
        void writable(boolean writable);
    }

    private final Endpoint target;
    private final ContextInternal context;
    private final Handler<Object> reader = this::read;
    private Channel channel;
    private Listener listener;
    private boolean interim;
    private boolean tunnel;
    private long idleSince;
    private long deadline;
    private ScheduledFuture<?> timer;
    private Throwable cause;

    /** @param context the proxy verticle's: Vert.x objects the listener touches expect to be called on it */
    BackendConnection(Endpoint target, ContextInternal context) {
        this.target = target;
        this.context = context;
    }

    Endpoint target() {
        return target;
    }

    Channel channel() {
        return channel;
    }

    boolean usable() {
        return channel != null && channel.isActive() && listener == null && !tunnel;
    }

    long idleSince() {
        return idleSince;
    }

    void idleSince(long nanos) {
        idleSince = nanos;
    }

    /** The exchange that uses the connection from now on (null: none, back in the pool). */
    void listen(Listener l) {
        listener = l;
        interim = false;
        deadline = 0;
    }

    /**
     * From now on the connection carries raw bytes both ways (a WebSocket session after its 101): the HTTP codec
     * leaves the pipeline, bytes it had read past the head go to {@code raw}, and the connection never returns
     * to the pool. {@code raw} gets the bytes as {@link Listener#content} and the close as {@link Listener#failed}.
     */
    void tunnel(Listener raw) {
        tunnel = true;
        listener = raw;
        channel.pipeline().remove("http");
    }

    /** Starts (or moves) the wait for a response head: {@code failed(TimeoutException)} after {@code ms}. */
    void readTimeout(int ms) {
        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        if (timer == null) {
            timer = channel.eventLoop().schedule(this::checkDeadline, ms, TimeUnit.MILLISECONDS);
        }
    }

    private void checkDeadline() {
        timer = null;
        if (deadline == 0 || listener == null) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            timer = channel.eventLoop().schedule(this::checkDeadline, left, TimeUnit.NANOSECONDS);
            return;
        }
        deadline = 0;
        cause = new TimeoutException("no response head within read_ms");
        channel.close();
    }

    void close() {
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (listener == null) { // a backend talking out of turn on an idle connection: not one to reuse
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        context.emit(msg, reader);
    }

    private void read(Object msg) {
        Listener l = listener;
        if (l == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (tunnel) {
            if (msg instanceof ByteBuf raw) {
                l.content(raw);
            } else {
                ReferenceCountUtil.release(msg); // the empty end of the 101 the codec still emits
            }
            return;
        }
        if (msg instanceof HttpResponse head) {
            int status = head.status().code();
            interim = status >= 100 && status < 200 && status != 101;
            if (!interim) {
                deadline = 0;
                l.head(head);
            }
        }
        if (msg instanceof HttpContent content) {
            boolean last = msg instanceof LastHttpContent;
            if (interim) {
                content.release();
            } else if (last && listener == l) {
                listener = null;
                ByteBuf rest = content.content();
                if (!rest.isReadable()) {
                    content.release();
                    rest = null;
                }
                l.end(rest, channel.isActive());
            } else if (content.content().isReadable()) {
                l.content(content.content());
            } else {
                content.release();
            }
        } else if (!(msg instanceof HttpObject)) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (listener != null) {
            context.emit(ctx.channel().isWritable(), w -> {
                if (listener != null) {
                    listener.writable(w);
                }
            });
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
        if (cause == null) {
            cause = t;
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        Listener l = listener;
        listener = null;
        if (l != null) {
            Throwable why = cause != null ? cause : new ClosedChannelException();
            context.emit(why, l::failed);
        }
        ctx.fireChannelInactive();
    }
}
