package io.gatehouse.proxy;

import io.gatehouse.resource.PathTemplate;

import java.util.List;
import java.util.Objects;

/**
 * One compiled resource of a stage: what the router matched and where it forwards.
 *
 * @param tenantRule   the resource's tenant rule (required, allowed), or null for none
 * @param backendParts the backend path as literal text and indexes into the request's segments, so a
 *                     request builds its backend path with one StringBuilder and no lookups
 */
public record Route(String name, String method, PathTemplate path, boolean prefix, String backendPath,
                    List<BackendPart> backendParts, Upstream upstream, TenantPolicy.Rule tenantRule) {

    /** A piece of the backend path: {@code /literal} text, or the request segment at {@code index}. */
    public sealed interface BackendPart permits Text, SegmentRef {
    }

    public record Text(String text) implements BackendPart {
    }

    public record SegmentRef(int index) implements BackendPart {
    }

    public Route {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(upstream, "upstream");
        backendParts = List.copyOf(backendParts);
    }

    /**
     * The path the backend gets: the backend template with the request's parameter segments put in
     * (still percent-encoded as the client sent them, so an encoded {@code /} stays one segment), then
     * for a prefix match the rest of the request path, then the query as sent.
     *
     * @param segments the request's path segments after {@code /{gateway}/{stage}}
     * @param consumed how many of them the route's template matched
     */
    public String backendUri(String[] segments, int consumed, String query) {
        StringBuilder b = new StringBuilder(64);
        for (BackendPart part : backendParts) {
            b.append('/');
            if (part instanceof Text t) {
                b.append(t.text());
            } else {
                b.append(segments[((SegmentRef) part).index()]);
            }
        }
        for (int i = consumed; i < segments.length; i++) {
            b.append('/').append(segments[i]);
        }
        if (b.isEmpty()) {
            b.append('/');
        }
        if (query != null) {
            b.append('?').append(query);
        }
        return b.toString();
    }

    /** Splits a backend template against the resource's path: each {@code {param}} names a segment index. */
    static List<BackendPart> backendParts(PathTemplate path, PathTemplate backend) {
        List<PathTemplate.Segment> own = path.segments();
        return backend.segments().stream().<BackendPart>map(s -> {
            if (s instanceof PathTemplate.Literal l) {
                return new Text(l.text());
            }
            String name = ((PathTemplate.Param) s).name();
            for (int i = 0; i < own.size(); i++) {
                if (own.get(i) instanceof PathTemplate.Param p && p.name().equals(name)) {
                    return new SegmentRef(i);
                }
            }
            throw new IllegalArgumentException("backend_path uses {" + name + "}, which the path does not define");
        }).toList();
    }
}
