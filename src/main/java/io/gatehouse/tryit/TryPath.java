package io.gatehouse.tryit;

import io.gatehouse.common.FieldError;
import io.gatehouse.common.ValidationException;
import io.gatehouse.proxy.PathSegments;
import io.gatehouse.proxy.Route;
import io.gatehouse.proxy.Router;
import io.gatehouse.proxy.StageSnapshot;
import io.gatehouse.resource.PathTemplate;
import io.gatehouse.resource.ResourceSpec;

import java.net.URI;
import java.util.List;

/** The path "Try it" requests, checked against the live router so the counts describe the resource asked for. */
final class TryPath {
    private TryPath() {
    }

    /**
     * The concrete path to request: the one given, or the template when it has no parameters. It must be
     * a path the router sends to this very resource, or the counts would describe another one.
     */
    static String concrete(String given, ResourceSpec spec, StageSnapshot snapshot, String method, Route route) {
        PathTemplate template = PathTemplate.parse(spec.path());
        String path = given == null || given.isBlank() ? null : given.trim();
        boolean hasParams = !template.paramNames().isEmpty();
        if (hasParams && (path == null || path.contains("{"))) {
            throw badPath("needs a value for each parameter of " + spec.path() + ": a concrete path such as "
                    + example(template));
        }
        if (path == null) {
            path = spec.path();
        }
        if (!path.startsWith("/") || path.length() > PathTemplate.MAX_LENGTH || !path.matches("[\\x21-\\x7e]+")
                || path.contains("#")) {
            throw badPath("must start with / and be at most " + PathTemplate.MAX_LENGTH
                    + " printable characters without spaces or #");
        }
        try {
            URI.create("http://127.0.0.1" + path);
        } catch (IllegalArgumentException e) {
            throw badPath("is not a valid URL path: " + e.getMessage());
        }
        int q = path.indexOf('?');
        String bare = q < 0 ? path : path.substring(0, q);
        Router.Match match = snapshot.router().match(method, PathSegments.split(bare, 0));
        if (!(match instanceof Router.Found f) || !f.route().name().equals(route.name())) {
            String other = match instanceof Router.Found f ? "resource '" + f.route().name() + "'" : "no resource";
            throw badPath(method + " " + bare + " reaches " + other + ", not '" + route.name() + "' ("
                    + spec.path() + ", " + spec.match() + " match)");
        }
        return path;
    }

    private static String example(PathTemplate template) {
        StringBuilder b = new StringBuilder();
        for (PathTemplate.Segment s : template.segments()) {
            b.append('/').append(s instanceof PathTemplate.Literal l ? l.text() : "1");
        }
        return b.toString();
    }

    private static ValidationException badPath(String message) {
        return ValidationException.badRequest(List.of(new FieldError("path", message)));
    }
}
