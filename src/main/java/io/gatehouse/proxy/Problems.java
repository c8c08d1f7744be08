package io.gatehouse.proxy;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The proxy's own answers, as RFC 9457 problem documents with Gatehouse's stable {@code code} (the
 * same shape as the admin API's {@code io.gatehouse.common.Problem}).
 */
final class Problems {

    static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://gatehouse.dev/problems/";

    private Problems() {
    }

    static void send(HttpServerResponse response, int status, String code, String title, String detail,
                     String requestId) {
        send(response, status, code, title, detail, requestId, null, null);
    }

    /** As above, with one extra header (e.g. Allow on a 405) when {@code header} is not null. */
    static void send(HttpServerResponse response, int status, String code, String title, String detail,
                     String requestId, String header, String value) {
        send(response, status, code, title, detail, requestId, header == null ? null
                : io.vertx.core.MultiMap.caseInsensitiveMultiMap().add(header, value));
    }

    /** As above, with {@code extra} headers (WWW-Authenticate on a 401, Retry-After on a 429), when not null. */
    static void send(HttpServerResponse response, int status, String code, String title, String detail,
                     String requestId, io.vertx.core.MultiMap extra) {
        if (response.headWritten()) {
            // The backend's answer has started: the only honest signal left is to cut the connection.
            response.reset();
            return;
        }
        String body = new JsonObject()
                .put("type", TYPE_BASE + code)
                .put("title", title)
                .put("status", status)
                .put("detail", detail)
                .put("code", code)
                .encode();
        response.headers().clear();
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, MEDIA_TYPE)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (requestId != null) {
            response.putHeader(Headers.X_REQUEST_ID, requestId);
        }
        if (extra != null) {
            response.headers().addAll(extra);
        }
        response.end(body);
    }
}
