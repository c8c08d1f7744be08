package io.gatehouse.proxy;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static io.gatehouse.proxy.Backend.await;
import static io.gatehouse.proxy.ProxyFixture.resource;
import static io.gatehouse.proxy.ProxyFixture.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 100 MB each way, generated on the fly with backpressure. Streaming (not buffering) is proven by
 * the far side having received data while the near side was only half-way through writing: a proxy
 * that held the body whole would deliver nothing before the sender finished.
 */
class ProxyStreamingTest {

    private static final long TOTAL = 100L * 1024 * 1024;
    private static final Buffer CHUNK = Buffer.buffer(new byte[64 * 1024]);

    private final ProxyFixture fx = new ProxyFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void a100MbUploadReachesTheBackendWhileTheClientIsStillSending() {
        AtomicLong backendBytes = new AtomicLong();
        Backend sink = fx.backend("sink").handler(req -> {
            long[] n = {0};
            req.handler(buf -> {
                n[0] += buf.length();
                backendBytes.addAndGet(buf.length());
            });
            req.endHandler(v -> req.response().end(Long.toString(n[0])));
        });
        fx.publish("shop", "prod", Cfg.of("round_robin").host(sink, 1).build(),
                resources("upload", resource("POST", "/upload", "exact", null)));

        AtomicLong atHalf = new AtomicLong(-1);
        Promise<String> answer = Promise.promise();
        fx.onContext(() -> fx.client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/shop/prod/upload"))
                .onFailure(answer::fail)
                .onSuccess(req -> {
                    req.setChunked(true);
                    req.response().compose(r -> r.body()).onComplete(ar -> {
                        if (ar.succeeded()) {
                            answer.complete(ar.result().toString());
                        } else {
                            answer.fail(ar.cause());
                        }
                    });
                    pump(req, new long[]{0}, atHalf, backendBytes);
                }));
        String counted = await(answer.future());

        assertEquals(Long.toString(TOTAL), counted, "the backend counted every byte");
        System.out.printf("upload: backend had %.1f MB when the client had written 50 MB%n", atHalf.get() / 1048576.0);
        assertTrue(atHalf.get() > 10L * 1024 * 1024, "backend had only " + atHalf.get() + " bytes at half-way");
    }

    private static void pump(HttpClientRequest req, long[] sent, AtomicLong atHalf, AtomicLong farSide) {
        while (!req.writeQueueFull() && sent[0] < TOTAL) {
            req.write(CHUNK);
            sent[0] += CHUNK.length();
            if (sent[0] == TOTAL / 2) {
                atHalf.set(farSide.get());
            }
        }
        if (sent[0] >= TOTAL) {
            req.end();
        } else {
            req.drainHandler(v -> pump(req, sent, atHalf, farSide));
        }
    }

    @Test
    void a100MbDownloadReachesTheClientWhileTheBackendIsStillSending() {
        AtomicLong clientBytes = new AtomicLong();
        AtomicLong atHalf = new AtomicLong(-1);
        Backend source = fx.backend("source").handler(req -> {
            HttpServerResponse resp = req.response().putHeader("Content-Length", Long.toString(TOTAL));
            pump(resp, new long[]{0}, atHalf, clientBytes);
        });
        fx.publish("shop", "prod", Cfg.of("round_robin").host(source, 1).build(),
                resources("download", resource("GET", "/download", "exact", null)));

        Promise<Long> done = Promise.promise();
        fx.onContext(() -> fx.client.request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/shop/prod/download"))
                .compose(HttpClientRequest::send)
                .onFailure(done::fail)
                .onSuccess(resp -> {
                    resp.handler(buf -> clientBytes.addAndGet(buf.length()));
                    resp.endHandler(v -> done.complete(clientBytes.get()));
                    resp.exceptionHandler(done::tryFail);
                }));
        assertEquals(TOTAL, await(done.future()));
        System.out.printf("download: client had %.1f MB when the backend had written 50 MB%n", atHalf.get() / 1048576.0);
        assertTrue(atHalf.get() > 10L * 1024 * 1024, "client had only " + atHalf.get() + " bytes at half-way");
    }

    private static void pump(HttpServerResponse resp, long[] sent, AtomicLong atHalf, AtomicLong farSide) {
        while (!resp.writeQueueFull() && sent[0] < TOTAL) {
            resp.write(CHUNK);
            sent[0] += CHUNK.length();
            if (sent[0] == TOTAL / 2) {
                atHalf.set(farSide.get());
            }
        }
        if (sent[0] >= TOTAL) {
            resp.end();
        } else {
            resp.drainHandler(v -> pump(resp, sent, atHalf, farSide));
        }
    }
}
