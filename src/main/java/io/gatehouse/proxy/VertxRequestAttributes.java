package io.gatehouse.proxy;

import io.gatehouse.balance.RequestAttributes;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;

/**
 * The balancer's view of a Vert.x request: reads straight from it, copies nothing.
 *
 * @param clientIp the peer, or the client behind trusted proxies ({@link TrustedProxies})
 */
record VertxRequestAttributes(HttpServerRequest request, String clientIp) implements RequestAttributes {

    @Override
    public String header(String name) {
        return request.getHeader(name);
    }

    @Override
    public String cookie(String name) {
        Cookie c = request.getCookie(name);
        return c == null ? null : c.getValue();
    }

    @Override
    public String path() {
        return request.path();
    }
}
