package io.gatehouse.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** An RFC 9457 problem document, with Gatehouse's stable {@code code} and the bad fields, if any. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String code, List<FieldError> errors) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public static Response.ResponseBuilder response(int status, String code, String title, String detail,
                                                    List<FieldError> errors) {
        Problem p = new Problem("https://gatehouse.dev/problems/" + code, title, status, detail, code, errors);
        return Response.status(status).type(MEDIA_TYPE).entity(p);
    }
}
