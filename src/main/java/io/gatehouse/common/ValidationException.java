package io.gatehouse.common;

import java.util.List;

/** A request that breaks one or more rules: answered as 422 problem JSON listing each field. */
public class ValidationException extends ApiException {
    private final List<FieldError> errors;

    public ValidationException(List<FieldError> errors) {
        this(422, "validation_failed", "Validation failed", errors);
    }

    private ValidationException(int status, String code, String title, List<FieldError> errors) {
        super(status, code, title, errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid");
        this.errors = List.copyOf(errors);
    }

    /** Input an endpoint cannot act on at all (such as a count out of range): a 400 naming each field. */
    public static ValidationException badRequest(List<FieldError> errors) {
        return new ValidationException(400, "bad_request", "Bad request", errors);
    }

    public static ValidationException of(String field, String message) {
        return new ValidationException(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
