package io.gatehouse.common;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses declared request bodies over 1 MiB before reading them: problem JSON for the admin API, a short
 * page for the console's forms (and the sign-in form). The connection is closed, so the rest of the body
 * is never read. Chunked bodies that grow past the limit are stopped by
 * {@code quarkus.http.limits.max-body-size}.
 */
@ApplicationScoped
public class BodySizeLimit {
    static final long MAX = 1024 * 1024;

    void install(@Observes Router router) {
        router.route("/*").order(-100).handler(this::limit);
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
                rc.response().setStatusCode(413).putHeader("Connection", "close");
                if (rc.normalizedPath().startsWith("/api/")) {
                    rc.response().putHeader("Content-Type", Problem.MEDIA_TYPE)
                            .end(new JsonObject().put("type", "https://gatehouse.dev/problems/body-too-large")
                                    .put("title", "Payload too large").put("status", 413).put("code", "body-too-large")
                                    .put("detail", "the request body is " + declared + " bytes; the limit is 1 MiB")
                                    .encode());
                } else {
                    rc.response().putHeader("Content-Type", "text/html; charset=UTF-8")
                            .end("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too large · "
                                    + "Gatehouse</title><link rel=\"stylesheet\" href=\"/console/console.css\"></head>"
                                    + "<body class=\"login-body\"><main class=\"login-card\"><h1 class=\"status\">413"
                                    + "</h1><h2>Too large</h2><p>The form is " + declared + " bytes; the limit is 1 MiB."
                                    + "</p><p><a class=\"btn\" href=\"/\">Back to the console</a></p></main></body></html>");
                }
                return;
            }
        }
        rc.next();
    }
}
