package io.gatehouse.stage;

import io.gatehouse.common.WireNames;

import java.util.List;

/**
 * {@code encoded_slashes}: whether a request path whose segments hold {@code %2F} or {@code %5C} is refused with
 * 400 ({@code reject}, the default, as Envoy recommends with {@code path_with_escaped_slashes_action:
 * REJECT_REQUEST} and Tomcat does with {@code encodedSolidusHandling}) or forwarded as sent ({@code keep}).
 */
public enum EncodedSlashes {
    REJECT, KEEP;

    public String wireName() {
        return WireNames.of(this);
    }

    public static List<String> wireNames() {
        return WireNames.all(EncodedSlashes.class);
    }

    /** The choice {@code wire} names, {@link #REJECT} when it is null, or null when it names none. */
    public static EncodedSlashes of(String wire) {
        return wire == null ? REJECT : WireNames.find(EncodedSlashes.class, wire);
    }
}
