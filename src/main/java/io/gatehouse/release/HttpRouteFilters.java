package io.gatehouse.release;

import io.gatehouse.proxy.Route;
import io.gatehouse.resource.PathTemplate;
import io.gatehouse.common.PassHost;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.gatehouse.release.ExportScope.ENVOY_GATEWAY;
import static io.gatehouse.release.ExportScope.map;
import static io.gatehouse.release.ExportScope.name;

/**
 * How a resource's path is matched and rewritten: plain {@code PathPrefix}/{@code Exact} matches with a Gateway API
 * {@code URLRewrite} where the template has no parameters, else an RE2 match and an Envoy Gateway
 * {@code HTTPRouteFilter} rewriting by regex (which also sets the host's own Host header for pass_host node).
 */
final class HttpRouteFilters {
    private final ExportScope scope;
    private final Map<String, Map<String, Object>> filters = new TreeMap<>();

    HttpRouteFilters(ExportScope scope) {
        this.scope = scope;
    }

    /** Whether a route's path can be matched and rewritten without a regex: no parameters, not exact "/". */
    static boolean plain(Route route) {
        return route.path().paramNames().isEmpty() && !(route.path().raw().equals("/") && !route.prefix());
    }

    Map<String, Object> pathMatch(Route route) {
        if (plain(route)) {
            String path = route.path().raw();
            String value = path.equals("/") ? scope.publicPrefix() : scope.publicPrefix() + path;
            return map("type", route.prefix() ? "PathPrefix" : "Exact", "value", value);
        }
        return map("type", "RegularExpression", "value", regex(route));
    }

    static Map<String, Object> plainRewrite(Route route) {
        return route.prefix()
                ? map("type", "ReplacePrefixMatch", "replacePrefixMatch", route.backendPath())
                : map("type", "ReplaceFullPath", "replaceFullPath", route.backendPath());
    }

    /**
     * The RE2 pattern of a path template under the public prefix: each parameter is one segment, a
     * prefix match may go on with more segments (Gatehouse's router works on whole segments too).
     */
    private String regex(Route route) {
        StringBuilder b = new StringBuilder("^").append(quote(scope.publicPrefix()));
        for (PathTemplate.Segment s : route.path().segments()) {
            b.append('/').append(s instanceof PathTemplate.Literal l ? quote(l.text()) : "([^/]+)");
        }
        if (route.prefix()) {
            // The rest of the path; captured without its slash when the backend path is "/" so "/" + rest works.
            return b.append(route.backendPath().equals("/") ? "(?:/(.*))?$" : "(/.*)?$").toString();
        }
        return b.append(route.path().segments().isEmpty() ? "/?$" : "$").toString();
    }

    /** The substitution for {@link #regex}: the backend path with {@code \N} for each parameter, then the rest. */
    private static String substitution(Route route) {
        List<String> params = route.path().paramNames();
        StringBuilder b = new StringBuilder();
        for (PathTemplate.Segment s : PathTemplate.parse(route.backendPath()).segments()) {
            b.append('/');
            b.append(s instanceof PathTemplate.Literal l ? l.text() : "\\" + (params.indexOf(((PathTemplate.Param) s).name()) + 1));
        }
        if (route.prefix()) {
            return (route.backendPath().equals("/") ? "/" : b.toString()) + "\\" + (params.size() + 1);
        }
        return b.isEmpty() ? "/" : b.toString();
    }

    private static String quote(String literal) {
        StringBuilder b = new StringBuilder();
        for (char ch : literal.toCharArray()) {
            if ("\\.+*?()|[]{}^$".indexOf(ch) >= 0) {
                b.append('\\');
            }
            b.append(ch);
        }
        return b.toString();
    }

    /**
     * The name of the HTTPRouteFilter a route needs, made on first use, or null: a regex path rewrite for templates
     * with parameters, and the host's own Host header for pass_host node.
     */
    String of(Route route) {
        boolean regex = !plain(route);
        boolean node = route.upstream().passHost() == PassHost.NODE;
        if (!regex && !node) {
            return null;
        }
        // One filter does both: the path by regex (a plain path too, so the rule needs no second rewrite).
        Map<String, Object> rewrite = map("path", map("type", "ReplaceRegexMatch", "replaceRegexMatch",
                map("pattern", regex(route), "substitution", substitution(route))));
        if (node) {
            rewrite.put("hostname", map("type", "SetFromBackend"));
        }
        String name = name(scope.gateway() + "-" + scope.stage() + "-" + route.name());
        filters.put(name, scope.object(ENVOY_GATEWAY + "/v1alpha1", "HTTPRouteFilter", name, null,
                map("urlRewrite", rewrite)));
        return name;
    }

    /** The HTTPRouteFilter objects, by name. */
    List<Map<String, Object>> objects() {
        return new ArrayList<>(filters.values());
    }
}
