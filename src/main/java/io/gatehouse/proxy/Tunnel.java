package io.gatehouse.proxy;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetSocket;
import io.vertx.core.streams.Pipe;

/**
 * A WebSocket session through the proxy, from the backend's 101 on: the client gets the 101 with the
 * backend's headers, then both connections are raw sockets piped into each other (with backpressure)
 * until either closes, which closes the other. Frames are not parsed: what follows the handshake is
 * the endpoints' business, so subprotocols and extensions they negotiate (permessage-deflate) just
 * work, as with Envoy's and nginx's WebSocket proxying.
 *
 * <p>The session holds its request open ({@link Drain.Tracked#holdOpen}): it stays in flight, and its
 * host's in-flight count (least_conn) stays up, until both sockets are closed; then it is recorded
 * once, with status 101 and the session's length as its duration. A drain that reaches its bound
 * closes it. Lives on the request's event loop, like the {@link Exchange} that opens it.
 */
final class Tunnel {

    private final HttpServerRequest req;
    private final Drain.Tracked tracked;
    private final Context context;
    private NetSocket client;
    private NetSocket backend;
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
     * Answers 101 and starts piping; {@code ended} runs once when both sockets are closed.
     *
     * @param traceHost the host's URL for {@link UpstreamTrace}, or null when the client did not ask
     */
    void open(HttpClientResponse cres, String requestId, String traceHost, Runnable ended) {
        this.ended = ended;
        backend = cres.netSocket();
        // pipe() pauses at once: frames the backend sends right after its 101 wait for the client socket.
        Pipe<Buffer> fromBackend = backend.pipe();
        backend.closeHandler(v -> {
            backendClosed = true;
            close();
        });

        HttpServerResponse sres = req.response();
        sres.setStatusCode(101);
        sres.setStatusMessage(cres.statusMessage());
        Headers.toClient(cres.headers(), sres.headers());
        Headers.keepUpgrade(cres.headers(), sres.headers());
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
            client.pipeTo(backend);
            fromBackend.to(client);
        });
    }

    /** Closes both sides (idempotent); once both have closed, the session ends. */
    private void close() {
        closing = true;
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
