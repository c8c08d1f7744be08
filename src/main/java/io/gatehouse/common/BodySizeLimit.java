package io.gatehouse.common;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses declared request bodies over 1 MiB with problem JSON before reading them; chunked bodies
 * that grow past it are stopped by {@code quarkus.http.limits.max-body-size}.
 */
@ApplicationScoped
public class BodySizeLimit {
    static final long MAX = 1024 * 1024;

    void install(@Observes Router router) {
        router.route("/api/*").order(-100).handler(this::limit);
    }

    void limit(RoutingContext rc) {
        String length = rc.request().getHeader("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = Long.MAX_VALUE;
            }
            if (declared > MAX) {
                rc.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close")
                        .end(new JsonObject().put("type", "https://gatehouse.dev/problems/body-too-large")
                                .put("title", "Payload too large").put("status", 413).put("code", "body-too-large")
                                .put("detail", "the request body is " + declared + " bytes; the limit is 1 MiB")
                                .encode());
                return;
            }
        }
        rc.next();
    }
}
