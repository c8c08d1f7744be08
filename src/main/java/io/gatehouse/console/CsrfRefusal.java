package io.gatehouse.console;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.Set;

/**
 * A console form whose CSRF token is missing or wrong is refused with 403 and a page that says why.
 * quarkus-rest-csrf checks the token (double-submit: the form field or X-CSRF-TOKEN must equal the
 * csrf-token cookie) but aborts with a bare 400, as if the request were malformed; a forged request is
 * a refusal, not a syntax error (RFC 9110 §15.5.4). Its abort still passes the response filters, and a
 * verified token leaves {@code csrf_token_verified} on the routing context, so a bodiless 400 on an
 * unsafe console request without it is exactly the filter's refusal. The admin API is left alone: JSON
 * requests skip the token (see application.properties) and its 400s are problem JSON.
 */
public class CsrfRefusal {
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private final CurrentVertxRequest current;

    public CsrfRefusal(CurrentVertxRequest current) {
        this.current = current;
    }

    @ServerResponseFilter
    public void refuse(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() != 400 || response.hasEntity() || SAFE.contains(request.getMethod())
                || request.getUriInfo().getPath().startsWith("/api/")) {
            return;
        }
        RoutingContext rc = current.getCurrent();
        if (rc != null && rc.get("csrf_token_verified") != null) {
            return;
        }
        response.setStatus(403);
        response.setEntity(ConsoleErrors.Templates.error(403, "Forbidden",
                "This form was not sent from a Gatehouse page of this session (its CSRF token is missing or "
                        + "does not match). Reload the page and send it again.").render(),
                null, MediaType.TEXT_HTML_TYPE);
    }
}
