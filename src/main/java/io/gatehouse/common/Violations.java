package io.gatehouse.common;

import java.util.ArrayList;
import java.util.List;

/** Collects every broken rule of a request, so one answer names them all instead of the first. */
public final class Violations {
    private final List<FieldError> errors = new ArrayList<>();

    public Violations add(String field, String message) {
        errors.add(new FieldError(field, message));
        return this;
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public List<FieldError> errors() {
        return List.copyOf(errors);
    }

    /** Throws a 422 naming every collected field, if any. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new ValidationException(errors());
        }
    }

    /** Adds "must be an integer from min to max" under {@code field} when {@code value} is given and outside. */
    public Violations range(String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            add(field, "must be an integer from " + min + " to " + max);
        }
        return this;
    }

    public static String join(String prefix, String field) {
        return prefix == null || prefix.isEmpty() ? field : prefix + "." + field;
    }
}
