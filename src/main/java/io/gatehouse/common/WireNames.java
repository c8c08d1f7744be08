package io.gatehouse.common;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The wire form of the backend config's option enums: each constant's name in lower case ({@code API_KEY} is
 * {@code api_key}), so an enum's constants are its whole vocabulary and no name is spelled twice.
 */
public final class WireNames {
    private WireNames() {
    }

    public static String of(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    public static <E extends Enum<E>> List<String> all(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(WireNames::of).toList();
    }

    /** The constant whose wire name is {@code wire}, or null when there is none. */
    public static <E extends Enum<E>> E find(Class<E> type, String wire) {
        for (E e : type.getEnumConstants()) {
            if (of(e).equals(wire)) {
                return e;
            }
        }
        return null;
    }
}
