package io.gatehouse.console;

import io.gatehouse.common.FieldError;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Field errors of a submitted form keyed by input name. Inputs are named exactly like the API's
 * {@link FieldError#field()} paths ({@code backend.hosts[1].weight}), so a service's errors land next
 * to the input that caused them; errors for no input on the page are shown at the top of the form.
 */
public final class FormErrors {
    public static final FormErrors NONE = new FormErrors(Map.of(), null);

    private final Map<String, String> byField;
    private final String form;

    private FormErrors(Map<String, String> byField, String form) {
        this.byField = byField;
        this.form = form;
    }

    public static FormErrors of(List<FieldError> errors) {
        Map<String, String> map = new LinkedHashMap<>();
        for (FieldError e : errors) {
            map.merge(e.field(), e.message(), (a, b) -> a + "; " + b);
        }
        return new FormErrors(map, null);
    }

    /** An error about the whole form, such as a 409 conflict. */
    public static FormErrors form(String message) {
        return new FormErrors(Map.of(), message);
    }

    public FormErrors plus(String field, String message) {
        Map<String, String> map = new LinkedHashMap<>(byField);
        map.merge(field, message, (a, b) -> a + "; " + b);
        return new FormErrors(map, form);
    }

    /** The error of one input, or null. */
    public String get(String field) {
        return byField.get(field);
    }

    public boolean has(String field) {
        return byField.containsKey(field);
    }

    public boolean any() {
        return form != null || !byField.isEmpty();
    }

    public String form() {
        return form;
    }

    public Map<String, String> all() {
        return byField;
    }
}
