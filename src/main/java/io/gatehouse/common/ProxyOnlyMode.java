package io.gatehouse.common;

import io.gatehouse.GatehouseConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * In {@code gatehouse.mode=proxy-only}, the management port serves health and metrics only: no
 * console, no admin API, no OpenAPI document or Swagger UI (they describe an API this instance does not
 * serve). Such instances scale out beside one full instance on the same database.
 */
@ApplicationScoped
public class ProxyOnlyMode {

    void install(@Observes Router router, GatehouseConfig config) {
        if (config.mode() != GatehouseConfig.Mode.PROXY_ONLY) {
            return;
        }
        router.route().order(-200).handler(rc -> {
            if (served(rc.request().path())) {
                rc.next();
                return;
            }
            rc.response().setStatusCode(404).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(new JsonObject().put("type", "https://gatehouse.dev/problems/proxy-only")
                            .put("title", "Not found").put("status", 404).put("code", "proxy_only")
                            .put("detail", "this instance runs in proxy-only mode: only /q/health and /q/metrics here")
                            .encode());
        });
    }

    /** {@code /q/health}, {@code /q/metrics} and what lies under them; nothing else on this port. */
    static boolean served(String path) {
        return under(path, "/q/health") || under(path, "/q/metrics");
    }

    private static boolean under(String path, String root) {
        return path.equals(root) || path.startsWith(root + "/");
    }
}
