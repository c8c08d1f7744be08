package io.gatehouse.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponse;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.VertxHandler;

import java.util.ArrayDeque;

/**
 * A WebSocket session through the proxy, from the backend's 101 on: the client gets the 101 with the
 * backend's headers, then the client's socket and the backend connection carry raw bytes into each other (with
 * backpressure: a side that does not take them stops reading from the other) until either closes, which closes
 * the other. Frames are not parsed: what follows the handshake is the endpoints' business, so subprotocols and
 * extensions they negotiate (permessage-deflate) just work, as with Envoy's and nginx's WebSocket proxying.
 *
 * <p>The session holds its request open ({@link Drain.Tracked#holdOpen}): it stays in flight, and its
 * host's in-flight count (least_conn) stays up, until both sockets are closed; then it is recorded
 * once, with status 101 and the session's length as its duration. A drain that reaches its bound
 * closes it. Lives on the request's event loop, like the {@link Exchange} that opens it.
 */
final class Tunnel implements BackendConnection.Listener {

    private final HttpServerRequest req;
    private final Drain.Tracked tracked;
    private final Context context;
    private final ArrayDeque<ByteBuf> early = new ArrayDeque<>(2);
    private NetSocket client;
    private BackendConnection backend;
    private Channel channel;
    private boolean clientClosed;
    private boolean backendClosed;
    private boolean closing;
    private Runnable ended;

    Tunnel(HttpServerRequest req, Drain.Tracked tracked) {
        this.req = req;
        this.tracked = tracked;
        this.context = Vertx.currentContext();
    }

    /**
     * Answers 101 and starts relaying; {@code ended} runs once when both sockets are closed.
     *
     * @param traceHost the host's URL for {@link UpstreamTrace}, or null when the client did not ask
     */
    void open(BackendConnection connection, HttpResponse head, String requestId, String traceHost, Runnable ended) {
        this.ended = ended;
        this.backend = connection;
        this.channel = connection.channel();
        // Bytes the backend sends right after its 101 wait (reading paused) until the client socket is there.
        channel.config().setAutoRead(false);
        connection.tunnel(this);

        HttpServerResponse sres = req.response();
        sres.setStatusCode(101);
        sres.setStatusMessage(head.status().reasonPhrase());
        MultiMap from = (MultiMap) head.headers();
        Headers.toClient(from, sres.headers());
        Headers.keepUpgrade(from, sres.headers());
        sres.headers().set(Headers.X_REQUEST_ID, requestId);
        UpstreamTrace.answer(sres.headers(), traceHost != null, traceHost);
        tracked.holdOpen(() -> context.runOnContext(v -> close()));
        req.toNetSocket().onComplete(ar -> {
            if (ar.failed()) { // the client left while the backend was answering
                clientClosed = true;
                close();
                return;
            }
            client = ar.result();
            client.closeHandler(v -> {
                clientClosed = true;
                close();
            });
            if (closing) {
                client.close();
                return;
            }
            client.handler(chunk -> {
                channel.writeAndFlush(chunk.getByteBuf(), channel.voidPromise());
                if (!channel.isWritable()) {
                    client.pause();
                }
            });
            client.drainHandler(v -> channel.config().setAutoRead(true));
            ByteBuf b;
            while ((b = early.poll()) != null) {
                content(b);
            }
            if (!client.writeQueueFull()) {
                channel.config().setAutoRead(true);
            }
        });
    }

    @Override
    public void content(ByteBuf chunk) {
        if (client == null) {
            if (closing) {
                chunk.release();
            } else {
                early.add(chunk);
            }
            return;
        }
        client.write(Buffer.buffer(VertxHandler.safeBuffer(chunk)));
        if (client.writeQueueFull()) {
            channel.config().setAutoRead(false); // until the client's drain handler
        }
    }

    @Override
    public void writable(boolean writable) {
        if (client != null) {
            if (writable) {
                client.resume();
            } else {
                client.pause();
            }
        }
    }

    @Override
    public void failed(Throwable cause) {
        backendClosed = true;
        close();
    }

    @Override
    public void head(HttpResponse head) {
    }

    @Override
    public void end(ByteBuf last, boolean reusable) {
        if (last != null) {
            last.release();
        }
    }

    /** Closes both sides (idempotent); once both have closed, the session ends. */
    private void close() {
        closing = true;
        ByteBuf b;
        while ((b = early.poll()) != null) {
            b.release();
        }
        if (!backendClosed) {
            backend.close();
        }
        if (client != null && !clientClosed) {
            client.close();
        }
        if (clientClosed && backendClosed && ended != null) {
            Runnable r = ended;
            ended = null;
            r.run();
            tracked.end();
        }
    }
}
