package io.gatehouse.common;

/**
 * An error with an HTTP status and a stable machine-readable code, rendered as RFC 9457 problem JSON
 * by {@code io.gatehouse.web.ProblemMappers}. Services throw these; they never build responses themselves.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String title;

    public ApiException(int status, String code, String title, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public static ApiException notFound(String what, String name) {
        return new ApiException(404, "not_found", "Not found", what + " '" + name + "' does not exist");
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "forbidden", "Forbidden", detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "conflict", "Conflict", detail);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "bad_request", "Bad request", detail);
    }
}
