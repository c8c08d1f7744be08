package io.gatehouse.resource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A path template such as {@code /users/{id}/orders}: literal segments and whole-segment parameters.
 * Shared by validation (resource paths and backend paths) and the proxy's router, so both read
 * templates the same way. Parameters are whole segments, as in the BlueKing gateway and OpenAPI
 * path templating; a template never holds {@code .} or {@code ..} segments, a query or a fragment.
 */
public record PathTemplate(String raw, List<Segment> segments) {

    public static final int MAX_LENGTH = 1024;
    private static final Pattern PARAM_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]{0,63}$");
    /** RFC 3986 pchar: unreserved, sub-delims, ':' and '@', or a percent-encoded octet. */
    private static final Pattern LITERAL = Pattern.compile("^(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+$");

    public sealed interface Segment permits Literal, Param {
    }

    public record Literal(String text) implements Segment {
    }

    public record Param(String name) implements Segment {
    }

    public PathTemplate {
        segments = List.copyOf(segments);
    }

    /** Parses a template, throwing {@link IllegalArgumentException} with the reason when it is malformed. */
    public static PathTemplate parse(String raw) {
        String problem = problem(raw);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        List<Segment> segments = new ArrayList<>();
        if (!raw.equals("/")) {
            for (String s : raw.substring(1).split("/", -1)) {
                segments.add(s.startsWith("{") ? new Param(s.substring(1, s.length() - 1)) : new Literal(s));
            }
        }
        return new PathTemplate(raw, segments);
    }

    /** What is wrong with a template, or null when it is well formed. */
    public static String problem(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "is required";
        }
        if (raw.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        if (!raw.startsWith("/")) {
            return "must start with /";
        }
        if (raw.contains("?") || raw.contains("#")) {
            return "must not contain a query or fragment";
        }
        if (raw.equals("/")) {
            return null;
        }
        if (raw.endsWith("/")) {
            return "must not end with /";
        }
        Set<String> names = new HashSet<>();
        for (String s : raw.substring(1).split("/", -1)) {
            if (s.isEmpty()) {
                return "must not contain empty segments (//)";
            }
            if (s.equals(".") || s.equals("..")) {
                return "must not contain . or .. segments";
            }
            if (s.startsWith("{") && s.endsWith("}")) {
                String name = s.substring(1, s.length() - 1);
                if (!PARAM_NAME.matcher(name).matches()) {
                    return "parameter {" + name + "} must be a name: letters, digits and underscores, not starting with a digit";
                }
                if (!names.add(name)) {
                    return "parameter {" + name + "} appears twice";
                }
            } else if (s.contains("{") || s.contains("}")) {
                return "a parameter must be a whole segment, like /users/{id}";
            } else if (!LITERAL.matcher(s).matches()) {
                return "segment '" + s + "' contains characters not allowed in a URL path";
            }
        }
        return null;
    }

    public List<String> paramNames() {
        List<String> names = new ArrayList<>();
        for (Segment s : segments) {
            if (s instanceof Param p) {
                names.add(p.name());
            }
        }
        return names;
    }

    /** The template with parameter names erased: two templates with one shape match the same paths. */
    public String shape() {
        StringBuilder b = new StringBuilder();
        for (Segment s : segments) {
            b.append('/').append(s instanceof Literal l ? l.text() : "{}");
        }
        return b.isEmpty() ? "/" : b.toString();
    }
}
