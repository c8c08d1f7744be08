package io.gatehouse.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.gatehouse.auth.LoginNotice;
import io.gatehouse.auth.SignInFailures;
import io.gatehouse.common.ApiException;
import io.gatehouse.common.FieldError;
import io.gatehouse.common.Problem;
import io.gatehouse.common.StrictJson;
import io.gatehouse.common.ValidationException;
import io.gatehouse.console.ConsoleErrors;
import io.gatehouse.database.DatabaseStatus;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.net.URI;
import java.util.List;

/**
 * The one exception mapper: on the admin API ({@code /api/}) every error is RFC 9457 problem JSON with a stable
 * {@code code}; on console pages a service's {@link ApiException} becomes the console's error page (or the
 * sign-in page) with the same status ({@link ConsoleErrors}). Never a stack trace or a class name.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @Inject
    DatabaseStatus database;

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        return isApi(uri) ? problem(e) : ConsoleErrors.page(e);
    }

    private static boolean isApi(UriInfo uri) {
        return uri.getPath().startsWith("/api/");
    }

    private static Response problem(ApiException e) {
        List<FieldError> errors = e instanceof ValidationException v ? v.errors() : null;
        Response.ResponseBuilder b = Problem.response(e.status(), e.code(), e.title(), e.getMessage(), errors);
        if (e.status() == 401) {
            b.header("WWW-Authenticate", "Basic realm=\"Gatehouse\", Bearer realm=\"Gatehouse\"");
        }
        return b.build();
    }

    /**
     * Failed credentials. The console's form login ({@code /j_security_check}) and console sessions are
     * authenticated lazily inside this REST layer too, so outside the admin API a failure goes back to the
     * sign-in page instead of becoming problem JSON.
     */
    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        if (database.isOutage(e)) {
            return unexpected(e, uri); // the accounts could not be read: not the visitor's fault
        }
        String path = uri.getPath();
        // A refusal of valid credentials or a throttled attempt says why; wrong credentials never say which
        // part was wrong.
        String refusal = SignInFailures.refusal(e);
        long retryAfter = SignInFailures.retryAfter(e);
        if (!path.startsWith("/api/")) {
            Response.ResponseBuilder b = Response.seeOther(URI.create(
                    path.endsWith("/j_security_check") && refusal == null ? "/login?error=1" : "/login"));
            return (refusal == null ? b : b.cookie(LoginNotice.jaxrs(refusal))).build();
        }
        if (retryAfter > 0) {
            return Problem.response(429, "too_many_sign_ins", "Too many sign-ins", refusal, null)
                    .header("Retry-After", retryAfter).build();
        }
        return problem(new ApiException(401, "unauthorized", "Unauthorized",
                refusal != null ? refusal : "wrong username, password or token"));
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return problem(new ApiException(401, "unauthorized", "Unauthorized", "sign in to do this"));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return problem(ApiException.forbidden("you may not do this"));
    }

    /** Overrides Quarkus's built-in mapper for this type, which answers a bare 400 without saying why. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return json(e);
    }

    /** Bodies that are not the JSON we expect: unknown fields, wrong types, broken syntax. */
    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            String field = StrictJson.path(u);
            return badBody("unknown field '" + field + "'", new FieldError(field, "is not a known field"));
        }
        if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
            JsonMappingException m = (JsonMappingException) e;
            String field = StrictJson.path(m);
            String expected = m instanceof MismatchedInputException mi && mi.getTargetType() != null
                    ? describe(mi.getTargetType()) : "another type";
            if (field.isEmpty()) {
                return badBody("the body must be a JSON object", new FieldError("", "must be a JSON object"));
            }
            return badBody(field + " must be " + expected, new FieldError(field, "must be " + expected));
        }
        return badBody("the body is not valid JSON (line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
                + ")", null);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException j) {
            return json(j);
        }
        String title = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "no such API endpoint";
            case 405 -> "method not allowed on this endpoint";
            case 413 -> "the request body is larger than 1 MiB";
            case 415 -> "send the body as application/json";
            default -> title;
        };
        return Problem.response(status, title.toLowerCase().replace(' ', '_'), title, detail, null).build();
    }

    /**
     * The database not answering is an outage, not a bug: 503 with Retry-After and no stack trace (DatabaseStatus
     * logs the outage once); the console gets a page that says so, the admin API problem JSON.
     */
    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        if (database.isOutage(e)) {
            ApiException unavailable = new ApiException(503, "database_unavailable", "Database unavailable",
                    "the database does not answer (" + database.state().reason() + "); nothing was changed. "
                            + "Published gateways keep being served; try again when it is back");
            Response r = api(unavailable, uri);
            return Response.fromResponse(r).header("Retry-After", 5).build();
        }
        LOG.error("unexpected error", e);
        return Problem.response(500, "internal_error", "Internal error",
                "something went wrong on our side; the change was not saved", null).build();
    }

    private static Response badBody(String detail, FieldError error) {
        return Problem.response(400, "bad_body", "Bad request body", detail, error == null ? null : List.of(error))
                .build();
    }


    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }
}
