package io.gatehouse.proxy;

/**
 * The one rule on what a request path's segments (after {@code /{gateway}/{stage}}, still percent-encoded as
 * sent) may hold. A path parameter and a prefix match's remainder go to the backend as sent, so whatever a
 * backend resolves there could escape the resource's backend path:
 * <ul>
 * <li>a dot segment ({@code .} or {@code ..}, RFC 3986 §3.3), also percent-encoded ({@code %2e}, {@code .%2E}
 *     …), which a backend removes while normalising (RFC 3986 §5.2.4): always refused;</li>
 * <li>an encoded slash or backslash ({@code %2F}, {@code %5C}, any case), which a backend that decodes before
 *     normalising (many do) turns into a separator: {@code /users/..%2f..%2fadmin} becomes
 *     {@code /admin}. Refused unless the route's backend config says {@code encoded_slashes: keep}, as Envoy
 *     does with {@code path_with_escaped_slashes_action: REJECT_REQUEST}. A dot segment between encoded
 *     separators ({@code a%2F..%2Fb}) counts as a dot segment, so keeping them never lets one through.</li>
 * </ul>
 * A segment without {@code %} costs one {@code indexOf} and a length check.
 */
public final class PathSegments {
    private static final String[] NONE = new String[0];

    static final int SAFE = 0;
    static final int DOT_SEGMENT = 1;
    static final int ENCODED_SLASH = 2;

    private PathSegments() {
    }

    /**
     * The segments of the resource path that starts at the {@code /} at {@code slash} in {@code path} (no query),
     * split at every {@code /} and kept percent-encoded, as the router matches them: none when {@code slash} is
     * negative or the last character ({@code /gw/prod} and {@code /gw/prod/}); {@code a}, {@code ""}, {@code b},
     * {@code ""} for {@code /a//b/}.
     */
    public static String[] split(String path, int slash) {
        if (slash < 0 || slash >= path.length() - 1) {
            return NONE;
        }
        return path.substring(slash + 1).split("/", -1);
    }

    /** {@link #DOT_SEGMENT} if any segment is one, else {@link #ENCODED_SLASH} if any holds one, else {@link #SAFE}. */
    static int check(String[] segments) {
        int found = SAFE;
        for (String s : segments) {
            if (s.indexOf('%') < 0) {
                if (s.length() <= 2 && isDots(s, 0, s.length())) {
                    return DOT_SEGMENT;
                }
                continue;
            }
            int piece = 0;
            for (int i = 0; i + 2 < s.length(); i++) {
                if (s.charAt(i) == '%' && isSeparator(s.charAt(i + 1), s.charAt(i + 2))) {
                    found = ENCODED_SLASH;
                    if (isDots(s, piece, i)) {
                        return DOT_SEGMENT;
                    }
                    i += 2;
                    piece = i + 1;
                }
            }
            if (isDots(s, piece, s.length())) {
                return DOT_SEGMENT;
            }
        }
        return found;
    }

    /** {@code %2F} or {@code %5C} in any case. */
    private static boolean isSeparator(char a, char b) {
        return (a == '2' && (b == 'F' || b == 'f')) || (a == '5' && (b == 'C' || b == 'c'));
    }

    /** Whether {@code s[from, to)} is one or two dots, each written {@code .} or {@code %2E} in any case. */
    private static boolean isDots(String s, int from, int to) {
        int dots = 0;
        int i = from;
        while (i < to) {
            if (s.charAt(i) == '.') {
                i++;
            } else if (i + 2 < to && s.charAt(i) == '%' && s.charAt(i + 1) == '2'
                    && (s.charAt(i + 2) == 'e' || s.charAt(i + 2) == 'E')) {
                i += 3;
            } else {
                return false;
            }
            if (++dots > 2) {
                return false;
            }
        }
        return dots > 0;
    }
}
