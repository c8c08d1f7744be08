package io.gatehouse.proxy;

import io.gatehouse.balance.RequestAttributes;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;

/** The balancer's view of a Vert.x request: reads straight from it, copies nothing. */
record VertxRequestAttributes(HttpServerRequest request) implements RequestAttributes {

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

    @Override
    public String clientIp() {
        return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }
}
