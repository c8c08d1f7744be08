package io.gatehouse.console;

import io.gatehouse.common.ApiException;
import io.gatehouse.common.ValidationException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/**
 * How console pages answer a service's {@link ApiException}: signed-out visitors go to the login page,
 * everything else is an HTML error page with the same status the API would give (404 for another
 * team's gateway, 403 for a role that is too low). Each page class routes its exceptions here with a
 * class-local {@code @ServerExceptionMapper}, so the admin API keeps its problem JSON.
 */
public final class ConsoleErrors {

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance error(int status, String title, String detail);
    }

    private ConsoleErrors() {
    }

    public static Response page(ApiException e) {
        if (e.status() == 401) {
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
