package io.gatehouse.console;

import io.gatehouse.common.ApiException;
import io.gatehouse.common.ValidationException;
import io.quarkus.arc.Arc;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.ConfigProvider;

import java.net.URI;

/**
 * How console pages answer a service's {@link ApiException}: signed-out visitors go to the login page,
 * everything else is an HTML error page with the same status the API would give (404 for another
 * team's gateway, 403 for a role that is too low). The one exception mapper ({@code io.gatehouse.web.ProblemMappers})
 * sends every error outside {@code /api/} here, so the admin API keeps its problem JSON.
 */
public final class ConsoleErrors {

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance error(int status, String title, String detail);
    }

    private ConsoleErrors() {
    }

    /**
     * After signing in, the visitor should land on the page they asked for, not always on /. Quarkus form
     * authentication goes back to the URL in its location cookie after a successful sign-in
     * ({@code quarkus.http.auth.form.redirect-after-login}, on by default) and checks that it has this
     * request's scheme, host and port; it sets that cookie only when it challenges itself, and console pages
     * send visitors to /login on their own (authentication is not proactive), so they set it the same way.
     * Only pages (GET): a form cannot be sent again by a redirect.
     */
    private static void rememberPage() {
        RoutingContext rc = Arc.container().instance(CurrentVertxRequest.class).get().getCurrent();
        if (rc == null || rc.request().method() != HttpMethod.GET) {
            return;
        }
        String name = ConfigProvider.getConfig().getOptionalValue("quarkus.http.auth.form.location-cookie",
                String.class).orElse("quarkus-redirect-location");
        rc.response().addCookie(Cookie.cookie(name, rc.request().absoluteURI()).setPath("/").setHttpOnly(true)
                .setSameSite(CookieSameSite.LAX).setSecure(rc.request().isSSL()).setMaxAge(15 * 60));
    }

    public static Response page(ApiException e) {
        if (e.status() == 401) {
            rememberPage();
            return Response.seeOther(URI.create("/login")).build();
        }
        String detail = e.getMessage();
        if (e instanceof ValidationException v) {
            detail = String.join("; ", v.errors().stream().map(f -> f.field() + " " + f.message()).toList());
        }
        return Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.error(e.status(), e.title(), detail)).build();
    }
}
