package io.gatehouse.proxy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.time.Duration;

import static io.gatehouse.proxy.ProxyFixture.config;
import static io.gatehouse.proxy.ProxyFixture.host;
import static io.gatehouse.proxy.ProxyFixture.resource;
import static io.gatehouse.proxy.ProxyFixture.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * gatehouse.proxy.client-idle-timeout (here 1 s): a client connection without a request in flight is closed,
 * one with a slow request or an open WebSocket session is not. Real sockets and backends on 127.0.0.1; each
 * wait is bounded by the socket's read timeout.
 */
class IdleConnectionsTest {
    private final ProxyFixture fx = ProxyFixture.withOptions(o -> o.withClientIdleTimeout(Duration.ofSeconds(1)));

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void aKeptAliveConnectionIsClosedOnceIdleAndServedUntilThen() throws Exception {
        Backend quick = fx.backend("quick");
        fx.publish("gw", "prod", config("round_robin", host(quick, 1)), resources("quick", resource("GET", "/quick", "exact", null)));
        try (Socket kept = RawHttp.connect(fx.proxy.port())) {
            for (int i = 0; i < 3; i++) {
                String answer = RawHttp.get(kept, "/gw/prod/quick");
                assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
                Thread.sleep(300); // under the timeout: the next request still finds the connection open
            }
            assertTrue(RawHttp.closedByPeer(kept), "idle after its last answer, the connection is closed");
        }
    }

    @Test
    void aSlowRequestAndAnOpenWebSocketSessionAreNotCut() throws Exception {
        Backend slow = fx.backend("slow").handler(req -> fx.vertx.setTimer(2500, t -> req.response().end("slow done")));
        fx.publish("gw", "prod", config("round_robin", host(slow, 1)), resources("slow", resource("GET", "/slow", "exact", null)));
        try (Socket waiting = RawHttp.connect(fx.proxy.port())) {
            String answer = RawHttp.get(waiting, "/gw/prod/slow");
            assertTrue(answer.startsWith("HTTP/1.1 200") && answer.endsWith("slow done"), answer);
        }

        Backend chat = fx.backend("chat").webSockets();
        fx.publish("gw", "chat", config("round_robin", host(chat, 1)), resources("chat", resource("GET", "/chat", "exact", null)));
        ProxyFixture.Ws ws = fx.webSocket("/gw/chat/chat");
        assertEquals("chat:hi", ws.ask("hi"));
        Thread.sleep(2500);
        assertEquals("chat:still here", ws.ask("still here"), "an idle session outlives the idle timeout");
        assertFalse(ws.closed.future().isComplete());
    }
}
