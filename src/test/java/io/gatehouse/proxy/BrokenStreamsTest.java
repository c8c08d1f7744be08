package io.gatehouse.proxy;

import io.gatehouse.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.gatehouse.proxy.ProxyFixture.anyPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A body cut on one side is cut on the other, never passed on as a shorter whole one (docs/architecture.md):
 * a backend that dies mid-answer leaves the client a cut connection, not a well-formed shorter response; a client
 * that gives up mid-upload leaves the backend a reset request, not a complete shorter body. Raw sockets on the
 * client side, so what the proxy writes is seen byte for byte.
 */
class BrokenStreamsTest {
    private static final String HALF = "x".repeat(500);
    private final ProxyFixture fx = new ProxyFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    /** A backend that answers 200 with {@code head}, writes 500 bytes, then closes its connection mid-body. */
    private void backendDyingMidBody(boolean chunked) {
        Backend dying = fx.backend("dying").handler(req -> {
            var res = req.response();
            if (chunked) {
                res.setChunked(true);
            } else {
                res.putHeader("Content-Length", "1000");
            }
            res.write(HALF).onComplete(w -> fx.vertx.setTimer(50, t -> req.connection().close()));
        });
        fx.publish("shop", "prod", Cfg.of("round_robin").host(dying, 1).retries(1).build(), anyPath());
    }

    /** What the proxy wrote on a connection, and whether it closed it (end of stream or reset) within 10 s. */
    private record Read(String bytes, boolean closed) {
    }

    private static Read untilClosed(Socket s) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        boolean closed = true;
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
            }
        } catch (SocketTimeoutException stillOpen) {
            closed = false;
        } catch (SocketException reset) {
            // a reset is a cut too
        }
        return new Read(got.toString(StandardCharsets.ISO_8859_1), closed);
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    @Test
    void aChunkedAnswerCutByTheBackendIsCutForTheClientWithoutTheLastChunk() throws Exception {
        backendDyingMidBody(true);
        try (Socket s = RawHttp.connect(fx.proxy.port())) {
            send(s, "GET /shop/prod/x HTTP/1.1\r\nHost: gw\r\n\r\n");
            Read read = untilClosed(s);
            String got = read.bytes();
            assertTrue(got.startsWith("HTTP/1.1 200 "), got);
            assertTrue(got.toLowerCase().contains("transfer-encoding: chunked"), got);
            assertTrue(read.closed(), "the client's connection is closed");
            assertTrue(got.contains(HALF), "the first half reached the client while it streamed");
            assertFalse(got.endsWith("0\r\n\r\n"), "no last chunk: the client must not take the half for the whole");
        }
    }

    @Test
    void anAnswerWithALengthCutByTheBackendEndsTheClientConnectionShortOfIt() throws Exception {
        backendDyingMidBody(false);
        try (Socket s = RawHttp.connect(fx.proxy.port())) {
            send(s, "GET /shop/prod/x HTTP/1.1\r\nHost: gw\r\n\r\n");
            Read read = untilClosed(s);
            String got = read.bytes();
            assertTrue(read.closed(), "the client's connection is closed");
            int bodyStart = got.indexOf("\r\n\r\n") + 4;
            assertTrue(got.startsWith("HTTP/1.1 200 "), got);
            assertTrue(got.toLowerCase().contains("content-length: 1000"), got);
            assertEquals(HALF, got.substring(bodyStart), "the half, then the connection closed (no padding, no second answer)");
        }
    }

    /** A backend that reads a POST's body and says how it ended: "end after N bytes" or "reset after N bytes". */
    private AtomicReference<String> uploadSink(AtomicLong received) {
        AtomicReference<String> ended = new AtomicReference<>();
        Backend sink = fx.backend("sink").handler(req -> {
            req.handler(b -> received.addAndGet(b.length()));
            req.endHandler(v -> {
                ended.compareAndSet(null, "end after " + received.get() + " bytes");
                req.response().end("got it");
            });
            req.exceptionHandler(e -> ended.compareAndSet(null, "reset after " + received.get() + " bytes"));
        });
        fx.publish("shop", "prod", Cfg.of("round_robin").host(sink, 1).retries(1).build(), anyPath());
        return ended;
    }

    @Test
    void aChunkedUploadTheClientAbandonsIsResetAtTheBackendNotEnded() throws Exception {
        AtomicLong received = new AtomicLong();
        AtomicReference<String> ended = uploadSink(received);
        try (Socket s = RawHttp.connect(fx.proxy.port())) {
            send(s, "POST /shop/prod/u HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(HALF.length()) + "\r\n" + HALF + "\r\n");
            Eventually.eventually("the first chunk at the backend", () -> received.get() == HALF.length());
        } // closed mid-body
        Eventually.eventually("the backend's request ended one way or the other", () -> ended.get() != null);
        assertEquals("reset after 500 bytes", ended.get());
    }

    @Test
    void anUploadWithALengthTheClientAbandonsIsResetAtTheBackend() throws Exception {
        AtomicLong received = new AtomicLong();
        AtomicReference<String> ended = uploadSink(received);
        try (Socket s = RawHttp.connect(fx.proxy.port())) {
            send(s, "POST /shop/prod/u HTTP/1.1\r\nHost: gw\r\nContent-Length: 1000\r\n\r\n" + HALF);
            Eventually.eventually("the first half at the backend", () -> received.get() == HALF.length());
            s.setSoLinger(true, 0); // an RST this time, not a FIN
        }
        Eventually.eventually("the backend's request ended one way or the other", () -> ended.get() != null);
        assertEquals("reset after 500 bytes", ended.get());
    }
}
