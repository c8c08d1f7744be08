package io.gatehouse.release;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What every exported object shares: the gateway stage it comes from, the namespace it goes to, and its
 * metadata (labels, and the {@value GatewayApiExport#NOT_EXPORTED} annotation listing what it cannot express).
 */
record ExportScope(String gateway, String stage, GatewayApiExport.Options options) {
    static final String GATEWAY_API = "gateway.networking.k8s.io";
    static final String ENVOY_GATEWAY = "gateway.envoyproxy.io";

    /** The public path prefix of the stage, {@code /{gateway}/{stage}}. */
    String publicPrefix() {
        return "/" + gateway + "/" + stage;
    }

    Map<String, Object> object(String apiVersion, String kind, String name, List<String> notes,
                               Map<String, Object> spec) {
        Map<String, Object> meta = map("name", name, "namespace", options.namespace(), "labels",
                map("app.kubernetes.io/managed-by", "gatehouse", "gatehouse.io/gateway", gateway, "gatehouse.io/stage",
                        stage));
        if (notes != null && !notes.isEmpty()) {
            meta.put("annotations", map(GatewayApiExport.NOT_EXPORTED, String.join("\n", notes)));
        }
        return map("apiVersion", apiVersion, "kind", kind, "metadata", meta, "spec", spec);
    }

    /** A DNS-1123 object name from Gatehouse names ({@code get_user} to {@code get-user}), at most 253 characters. */
    static String name(String raw) {
        String n = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-").replaceAll("-+", "-")
                .replaceAll("^[-.]+|[-.]+$", "");
        return n.length() > 253 ? n.substring(0, 253).replaceAll("[-.]+$", "") : n;
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
