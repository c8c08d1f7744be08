package io.gatehouse.proxy;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;

import java.lang.reflect.Proxy;

/** Finished {@link ProxiedRequest}s without a server, for benchmarks of what observes them. */
public final class SampleRequests {
    private SampleRequests() {
    }

    /** A 200 of GET /shop/prod/items/42 to {@code host}, resource items, tenant acme (its own pool). */
    public static ProxiedRequest ok(String host) {
        SocketAddress peer = SocketAddress.inetSocketAddress(50_000, "127.0.0.1");
        HttpServerResponse response = (HttpServerResponse) Proxy.newProxyInstance(SampleRequests.class.getClassLoader(),
                new Class<?>[]{HttpServerResponse.class}, (p, m, a) -> switch (m.getName()) {
                    case "headWritten" -> true;
                    case "getStatusCode" -> 200;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        HttpServerRequest request = (HttpServerRequest) Proxy.newProxyInstance(SampleRequests.class.getClassLoader(),
                new Class<?>[]{HttpServerRequest.class}, (p, m, a) -> switch (m.getName()) {
                    case "method" -> HttpMethod.GET;
                    case "path" -> "/shop/prod/items/42";
                    case "remoteAddress" -> peer;
                    case "response" -> response;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        ProxiedRequest r = new ProxiedRequest(request);
        r.requestId("4f1c9a0e2b7d4c55a1e0f3b2c6d7e8f9");
        r.stage("shop/prod", new StageSnapshot("shop", "prod", StageSnapshot.NO_RELEASE, Router.builder().build(), java.util.Map.of(),
                null, java.util.List.of(), java.util.List.of()));
        r.tenant("acme", true);
        r.attempt(host);
        r.end(ProxyObserver.NONE);
        return r;
    }
}
