package io.gatehouse.common;

import java.util.List;

/** A request that breaks one or more rules: answered as 422 problem JSON listing each field. */
public class ValidationException extends ApiException {
    private final List<FieldError> errors;

    public ValidationException(List<FieldError> errors) {
        super(422, "validation-failed", "Validation failed",
                errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                        : errors.size() + " fields are invalid");
        this.errors = List.copyOf(errors);
    }

    public static ValidationException of(String field, String message) {
        return new ValidationException(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
