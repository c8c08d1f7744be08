package io.gatehouse.common;

/** One broken rule of a request: which field (a JSON path such as {@code backend.hosts[0].weight}) and why. */
public record FieldError(String field, String message) {
}
