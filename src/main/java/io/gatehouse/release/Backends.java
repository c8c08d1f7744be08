package io.gatehouse.release;

import io.gatehouse.balance.Host;
import io.gatehouse.common.HostUrl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static io.gatehouse.release.ExportScope.ENVOY_GATEWAY;
import static io.gatehouse.release.ExportScope.map;
import static io.gatehouse.release.ExportScope.name;

/**
 * The Envoy Gateway {@code Backend} objects: one per host URL, shared by every rule that sends to it, each with
 * its own notes of what it cannot express.
 */
final class Backends {
    private static final Pattern FQDN = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    private static final Pattern IPV4 = Pattern.compile("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$");

    private final ExportScope scope;
    private final Map<String, Map<String, Object>> specs = new TreeMap<>();
    private final Map<String, List<String>> notes = new TreeMap<>();
    private final Map<String, String> names = new LinkedHashMap<>();
    /** Canonical host URL to whether its Backend is a fallback (a lower priority tier of the first pool seen). */
    private final Map<String, Boolean> fallbackOf = new LinkedHashMap<>();

    Backends(ExportScope scope) {
        this.scope = scope;
    }

    static boolean isFqdn(String host) {
        return FQDN.matcher(host).matches();
    }

    /**
     * The name of {@code host}'s Backend, made on first use. A lower-tier host's Backend is marked {@code fallback:
     * true} (Envoy Gateway's priority 1, used while the primary backends are unhealthy). A Backend is one object per
     * host, so a host that is a fallback in one pool and primary in another cannot be both: the first pool's choice
     * stays, and its notes say so.
     */
    String of(Host host, boolean fallback) {
        HostUrl u = HostUrl.parse(host.url());
        String name = names.computeIfAbsent(u.canonical(), url -> create(u));
        Boolean before = fallbackOf.putIfAbsent(u.canonical(), fallback);
        if (before == null) {
            if (fallback) {
                specs.get(name).put("fallback", true);
            }
        } else if (before != fallback) {
            notes.get(name).add("host " + u.canonical() + " is a " + tier(before) + " in one pool and a "
                    + tier(fallback) + " in another; its Backend can only be one (" + tier(before) + ")");
        }
        return name;
    }

    private static String tier(boolean fallback) {
        return fallback ? "fallback" : "primary";
    }

    private String create(HostUrl u) {
        String host = u.host().startsWith("[") ? u.host().substring(1, u.host().length() - 1) : u.host();
        String base = name(scope.gateway() + "-" + scope.stage() + "-" + host.replace('.', '-').replace(':', '-') + "-"
                + u.port());
        String name = base;
        for (int i = 2; specs.containsKey(name); i++) {
            name = base + "-" + i; // a.b and a-b, or http and https on one port
        }
        List<String> own = new ArrayList<>();
        Map<String, Object> endpoint;
        if (IPV4.matcher(host).matches() || host.contains(":")) {
            endpoint = map("ip", map("address", host, "port", u.port()));
        } else {
            endpoint = map("fqdn", map("hostname", host, "port", u.port()));
            if (!isFqdn(host)) {
                own.add("host name " + host + " is not an RFC 1123 name, which Backend requires");
            }
        }
        Map<String, Object> spec = map("endpoints", List.of(endpoint));
        if (u.tls()) {
            spec.put("tls", map("wellKnownCACertificates", "System"));
        }
        specs.put(name, spec);
        notes.put(name, own);
        return name;
    }

    /** The Backend objects, by name. */
    List<Map<String, Object>> objects() {
        List<Map<String, Object>> out = new ArrayList<>();
        specs.forEach((name, spec) -> out.add(scope.object(ENVOY_GATEWAY + "/v1alpha1", "Backend", name, notes.get(name),
                spec)));
        return out;
    }
}
