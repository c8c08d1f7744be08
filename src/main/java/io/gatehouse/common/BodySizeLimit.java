package io.gatehouse.common;

import io.quarkus.runtime.configuration.MemorySize;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.regex.Pattern;

/**
 * Refuses declared request bodies over 1 MiB before reading them: problem JSON for the admin API, a short
 * page for the console's forms (and the sign-in form). The connection is closed, so the rest of the body
 * is never read. The config-as-code import takes up to {@code quarkus.http.limits.max-body-size} (16 MiB by
 * default, Vert.x's own hard cap on every body, so one setting decides both), so what export writes for a
 * large gateway goes back in. A body that declares no length (chunked) is refused with 411 Length
 * Required (RFC 9110 §15.5.12), since its size could only be known by reading it: every client of a JSON API
 * and every browser form sends Content-Length.
 */
@ApplicationScoped
public class BodySizeLimit {
    static final long MAX = 1024 * 1024;
    private static final Pattern IMPORT = Pattern.compile("^/api/v1/gateways/[^/]+/import$");

    private final long importMax;

    public BodySizeLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "16M")
                         MemorySize maxBodySize) {
        this.importMax = maxBodySize.asLongValue();
    }

    void install(@Observes Router router) {
        router.route("/*").order(-100).handler(this::limit);
    }

    void limit(RoutingContext rc) {
        String length = rc.request().getHeader("Content-Length");
        if (length == null && rc.request().getHeader("Transfer-Encoding") != null) {
            refuse(rc, 411, "length_required", "Length required",
                    "the request body must declare its length (Content-Length); chunked bodies are not taken");
            return;
        }
        boolean isImport = rc.request().method() == HttpMethod.PUT && IMPORT.matcher(rc.normalizedPath()).matches();
        long max = isImport ? importMax : MAX;
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = Long.MAX_VALUE;
            }
            if (declared > max) {
                rc.response().setStatusCode(413).putHeader("Connection", "close");
                if (rc.normalizedPath().startsWith("/api/")) {
                    rc.response().putHeader("Content-Type", Problem.MEDIA_TYPE)
                            .end(new JsonObject().put("type", "https://gatehouse.dev/problems/body-too-large")
                                    .put("title", "Payload too large").put("status", 413).put("code", "body_too_large")
                                    .put("detail", "the request body is " + declared + " bytes; the limit is " + describe(max)
                                            + (isImport ? " (quarkus.http.limits.max-body-size)" : ""))
                                    .encode());
                } else {
                    rc.response().putHeader("Content-Type", "text/html; charset=UTF-8")
                            .end("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too large · "
                                    + "Gatehouse</title><link rel=\"stylesheet\" href=\"/console/console.css\"></head>"
                                    + "<body class=\"login-body\"><main class=\"login-card\"><h1 class=\"status\">413"
                                    + "</h1><h2>Too large</h2><p>The form is " + declared + " bytes; the limit is " + describe(max) + "."
                                    + "</p><p><a class=\"btn\" href=\"/\">Back to the console</a></p></main></body></html>");
                }
                return;
            }
        }
        rc.next();
    }

    private static String describe(long bytes) {
        return bytes % MAX == 0 ? bytes / MAX + " MiB" : bytes + " bytes";
    }

    private static void refuse(RoutingContext rc, int status, String code, String title, String detail) {
        rc.response().setStatusCode(status).putHeader("Connection", "close");
        if (rc.normalizedPath().startsWith("/api/")) {
            rc.response().putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(new JsonObject().put("type", "https://gatehouse.dev/problems/" + code).put("title", title)
                            .put("status", status).put("code", code).put("detail", detail).encode());
        } else {
            rc.response().putHeader("Content-Type", "text/plain; charset=UTF-8").end(title + ": " + detail);
        }
    }
}
