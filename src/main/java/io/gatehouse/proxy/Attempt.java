package io.gatehouse.proxy;

import io.gatehouse.balance.Outcome;
import io.gatehouse.balance.PoolSet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.vertx.core.net.impl.VertxHandler;

/**
 * One try of an {@link Exchange} on one backend connection, straight on Netty: the request head is written with
 * the edited headers (no Vert.x client request, no future per step), the body streamed with backpressure both
 * ways (a backend that does not take it pauses the client's request; a client that does not read pauses reading
 * from the backend), and the connection handed back to its {@link BackendPool} when both directions completed
 * on a keep-alive connection.
 */
final class Attempt implements BackendConnection.Listener {

    /**
     * Writes to the client without a callback: the Future-returning {@code write}/{@code end} make a promise and a
     * channel promise per call that nobody reads (a write failure closes the connection, which the request sees).
     */
    private static final Handler<AsyncResult<Void>> NO_CALLBACK = null;

    final PoolSet.Chosen host;
    final long t0;
    private final Exchange ex;
    private final BackendConnection conn;
    private final Channel channel;
    private StalledBodies.Watch body;
    private HttpServerResponse sres;
    private boolean requestSent;
    private boolean keepAlive;
    private boolean done;
    private long headNanos;
    private int status;
    private Outcome outcome;

    Attempt(Exchange ex, PoolSet.Chosen host, BackendConnection conn, long t0) {
        this.ex = ex;
        this.host = host;
        this.conn = conn;
        this.channel = conn.channel();
        this.t0 = t0;
    }

    /** Writes the request head, then the body as the client sends it. */
    void send() {
        conn.listen(this);
        HeadersMultiMap headers = HeadersMultiMap.httpHeaders();
        RequestHead.write(ex, host, headers);
        HttpMethod method = HttpMethod.valueOf(ex.req.method().name());
        if (!ex.hasBody) {
            requestSent = true;
            channel.writeAndFlush(new DefaultFullHttpRequest(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, method,
                    ex.uri, Unpooled.EMPTY_BUFFER, headers, EmptyHttpHeaders.INSTANCE), channel.voidPromise());
            // For an upgrade too: the wait for the 101, never an established session.
            conn.readTimeout(ex.up.readTimeoutMs());
            return;
        }
        ex.bodyStarted = true;
        DefaultHttpRequest head = new DefaultHttpRequest(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, method,
                ex.uri, headers);
        if (!ex.req.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            HttpUtil.setTransferEncodingChunked(head, true);
        }
        channel.write(head, channel.voidPromise()); // flushed with the first chunk
        body = ex.bodies.watch(ex.req, () -> !channel.isWritable(), () -> ex.guarded(ex::bodyStalled));
        body.handler(chunk -> {
            channel.writeAndFlush(new DefaultHttpContent(chunk.getByteBuf()), channel.voidPromise());
            if (!channel.isWritable()) {
                body.pause();
            }
        });
        // A client that aborts mid-upload must not look like a complete (shorter) body to the backend: the
        // backend request is reset (its connection closed) instead.
        body.exceptionHandler(t -> reset());
        body.endHandler(v -> {
            body.stop();
            if (done) {
                return;
            }
            requestSent = true;
            channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
            // The read timeout starts once the body is sent: armed earlier it would cut a slow upload the backend
            // is still reading.
            if (sres == null) {
                conn.readTimeout(ex.up.readTimeoutMs());
            }
        });
        body.resume();
    }

    /** Abandons this try: the backend connection is closed, so the backend never takes a part for the whole. */
    void reset() {
        if (body != null) {
            body.stop();
        }
        conn.close();
    }

    @Override
    public void writable(boolean writable) {
        if (body != null && !requestSent && !done) {
            if (writable) {
                body.resume();
            } else {
                body.pause();
            }
        }
    }

    @Override
    public void head(HttpResponse head) {
        ex.guarded(() -> answer(head));
    }

    private void answer(HttpResponse head) {
        headNanos = System.nanoTime() - t0;
        status = head.status().code();
        keepAlive = HttpUtil.isKeepAlive(head);
        outcome = ex.up.failsOn(status) ? Outcome.STATUS : Outcome.SUCCESS;
        if (!ex.answered(this, status, headNanos)) {
            done = true; // discard this answer; closing is cheaper than draining an error page
            conn.listen(null);
            conn.close();
            return;
        }
        if (ex.upgrade && status == 101) {
            done = true;
            new Tunnel(ex.req, ex.tracked).open(conn, head, ex.requestId, ex.trace ? host.host().url() : null,
                    () -> ex.report(host, headNanos, outcome, status));
            return;
        }
        sres = ex.req.response();
        sres.setStatusCode(status);
        if (head.status() != HttpResponseStatus.valueOf(status)) {
            sres.setStatusMessage(head.status().reasonPhrase()); // a custom reason phrase (Netty keeps the standard ones)
        }
        MultiMap out = sres.headers();
        Headers.toClient((MultiMap) head.headers(), out);
        out.set(Headers.X_REQUEST_ID, ex.requestId);
        UpstreamTrace.answer(out, ex.trace, host.host().url());
        if (!out.contains(HttpHeaders.CONTENT_LENGTH) && mayHaveBody(status) && ex.req.version() != HttpVersion.HTTP_2) {
            sres.setChunked(true);
        }
        sres.drainHandler(v -> channel.config().setAutoRead(true));
    }

    @Override
    public void content(ByteBuf chunk) {
        if (done || sres == null || ex.clientGone) {
            chunk.release();
            return;
        }
        sres.write(Buffer.buffer(VertxHandler.safeBuffer(chunk)), NO_CALLBACK);
        if (sres.writeQueueFull()) {
            channel.config().setAutoRead(false); // resumed by the drain handler
        }
    }

    @Override
    public void end(ByteBuf last, boolean reusable) {
        if (done || sres == null) {
            if (last != null) {
                last.release();
            }
            if (!done && sres == null) { // a head that went nowhere (retry decided); nothing to end
                conn.close();
            }
            return;
        }
        done = true;
        // The backend's part is over with its last byte: report before answering the client, so a client that
        // has its answer never sees the request still counted in flight on the host.
        ex.report(host, headNanos, outcome, status);
        if (ex.clientGone) {
            if (last != null) {
                last.release();
            }
        } else if (last != null) {
            sres.end(Buffer.buffer(VertxHandler.safeBuffer(last)), NO_CALLBACK);
        } else {
            sres.end(NO_CALLBACK);
        }
        channel.config().setAutoRead(true);
        if (reusable && requestSent && keepAlive && !ex.clientGone) {
            ex.pool().release(conn);
        } else {
            if (body != null) {
                body.stop();
            }
            conn.close();
        }
    }

    @Override
    public void failed(Throwable cause) {
        if (done) {
            return;
        }
        done = true;
        if (body != null) {
            body.stop();
        }
        if (sres == null) {
            ex.failedBeforeHead(this, cause);
            return;
        }
        // The backend died mid-body: the client must see a cut connection, not a well-formed shorter response.
        ex.report(host, headNanos, outcome, status);
        HttpServerResponse res = sres;
        if (!res.closed()) {
            res.reset();
        }
    }

    private boolean mayHaveBody(int status) {
        return status >= 200 && status != 204 && status != 304 && !ex.req.method().name().equals("HEAD");
    }
}
