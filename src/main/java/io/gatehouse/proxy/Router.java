package io.gatehouse.proxy;

import io.gatehouse.resource.PathTemplate;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The routes of one stage as a segment trie: literal children by map, at most one parameter child,
 * and per node the routes that end there exactly and the routes that match it as a prefix, each by
 * method. A match walks the request's segments once and backtracks only where a literal and a
 * parameter child both exist, so it never scans the resources.
 *
 * <p>Most specific first: a literal segment beats a parameter, which beats ending the match at a
 * shorter prefix; an exact match beats a prefix match at the same node; so a longer prefix beats a
 * shorter one. A route's method beats {@code ANY}, and HEAD is served by GET (RFC 9110 §9.3.2). When
 * some route matches the path but none the method, the answer is 405 with every method that would
 * have matched (RFC 9110 §15.5.6).
 */
public final class Router {

    public sealed interface Match permits Found, MethodNotAllowed, NotFound {
    }

    /** The route and the request's segments; {@code consumed} segments matched its template. */
    public record Found(Route route, String[] segments, int consumed) implements Match {
    }

    public record MethodNotAllowed(Set<String> allow) implements Match {
        public MethodNotAllowed {
            allow = Set.copyOf(allow);
        }
    }

    public record NotFound() implements Match {
        static final NotFound INSTANCE = new NotFound();
    }

    private record Node(Map<String, Node> literals, Node param, Map<String, Route> exact, Map<String, Route> prefix) {
        Node {
            literals = Map.copyOf(literals);
            exact = Map.copyOf(exact);
            prefix = Map.copyOf(prefix);
        }
    }

    private final Node root;
    private final int size;

    private Router(Node root, int size) {
        this.root = root;
        this.size = size;
    }

    public int size() {
        return size;
    }

    /** Matches {@code method} and the request path's segments (after {@code /{gateway}/{stage}}). */
    public Match match(String method, String[] segments) {
        @SuppressWarnings("unchecked")
        TreeSet<String>[] allow = new TreeSet[1]; // filled only on the way to a 405
        Found found = find(root, method, segments, 0, allow);
        if (found != null) {
            return found;
        }
        return allow[0] == null ? NotFound.INSTANCE : new MethodNotAllowed(allow[0]);
    }

    private static Found find(Node node, String method, String[] segments, int i, TreeSet<String>[] allow) {
        if (i == segments.length) {
            Route r = byMethod(node.exact, method, allow);
            if (r != null) {
                return new Found(r, segments, i);
            }
        } else {
            Node literal = node.literals.get(segments[i]);
            if (literal != null) {
                Found f = find(literal, method, segments, i + 1, allow);
                if (f != null) {
                    return f;
                }
            }
            // A parameter is a whole, non-empty segment: "/users/" does not match /users/{id}.
            if (node.param != null && !segments[i].isEmpty()) {
                Found f = find(node.param, method, segments, i + 1, allow);
                if (f != null) {
                    return f;
                }
            }
        }
        Route r = byMethod(node.prefix, method, allow);
        return r == null ? null : new Found(r, segments, i);
    }

    private static Route byMethod(Map<String, Route> routes, String method, TreeSet<String>[] allow) {
        if (routes.isEmpty()) {
            return null;
        }
        Route r = routes.get(method);
        if (r == null && method.equals("HEAD")) {
            r = routes.get("GET");
        }
        if (r == null) {
            r = routes.get("ANY");
        }
        if (r == null) {
            if (allow[0] == null) {
                allow[0] = new TreeSet<>();
            }
            allow[0].addAll(routes.keySet());
            if (routes.containsKey("GET")) {
                allow[0].add("HEAD");
            }
        }
        return r;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects routes; not thread-safe; {@link #build} freezes them into an immutable router. */
    public static final class Builder {
        private final MutableNode root = new MutableNode();
        private int size;

        private static final class MutableNode {
            final Map<String, MutableNode> literals = new HashMap<>();
            MutableNode param;
            final Map<String, Route> exact = new HashMap<>(2);
            final Map<String, Route> prefix = new HashMap<>(2);

            Node freeze() {
                Map<String, Node> lits = new HashMap<>(literals.size() * 2);
                literals.forEach((k, v) -> lits.put(k, v.freeze()));
                return new Node(lits, param == null ? null : param.freeze(), exact, prefix);
            }
        }

        /**
         * Adds a route; returns the route already holding the same method, match type and path shape
         * (the new one is then not added), or null.
         */
        public Route add(Route route) {
            MutableNode node = root;
            for (PathTemplate.Segment s : route.path().segments()) {
                if (s instanceof PathTemplate.Literal l) {
                    node = node.literals.computeIfAbsent(l.text(), k -> new MutableNode());
                } else {
                    if (node.param == null) {
                        node.param = new MutableNode();
                    }
                    node = node.param;
                }
            }
            Map<String, Route> terminal = route.prefix() ? node.prefix : node.exact;
            Route existing = terminal.putIfAbsent(route.method(), route);
            if (existing == null) {
                size++;
            }
            return existing;
        }

        public Router build() {
            return new Router(root.freeze(), size);
        }
    }
}
