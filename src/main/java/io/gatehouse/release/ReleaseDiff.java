package io.gatehouse.release;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.common.JsonDiff;
import io.gatehouse.common.JsonDiff.FieldChange;
import io.gatehouse.common.JsonDiff.ResourcesDiff;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything a release freezes, compared between two sides of one stage (a release, or the draft: the stage's
 * backend config and the gateway's draft resources): the stage's backend config field by field, the resources,
 * and per resource the <em>effective</em> backend config on this stage (its override, else the stage's), so a
 * weight change in the stage config shows on every resource it reaches. {@code hostMoves} on top answers
 * "which resources and tenants change hosts".
 *
 * @param backend   the stage's own backend config: hosts, weights, tenant pools, health, timeouts, ...
 * @param effective per resource on both sides, the fields of its effective backend config that differ
 */
public record ReleaseDiff(String stage, String from, String to, List<HostMove> hostMoves, List<FieldChange> backend,
                          ResourcesDiff resources, Map<String, List<FieldChange>> effective) {

    /**
     * A pool whose hosts or weights change: {@code resource} null for the stage's own config, {@code pool}
     * "default" or the tenant's name; hosts as {@code url ×weight}, empty when the pool is absent on that side.
     */
    public record HostMove(String resource, String pool, List<String> from, List<String> to) {
    }

    public boolean isEmpty() {
        return backend.isEmpty() && resources.isEmpty() && effective.isEmpty();
    }

    /** One side of the comparison: the stage's backend config and the resources by name. */
    public record Side(JsonNode backend, JsonNode resources) {
    }

    public static ReleaseDiff of(String stage, String fromName, Side from, String toName, Side to) {
        List<HostMove> moves = new ArrayList<>(moves(null, from.backend(), to.backend()));
        Map<String, List<FieldChange>> effective = new TreeMap<>();
        TreeSet<String> names = new TreeSet<>();
        from.resources().fieldNames().forEachRemaining(names::add);
        to.resources().fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode a = from.resources().get(name);
            JsonNode b = to.resources().get(name);
            if (a == null || b == null) {
                continue; // added or removed: listed under resources
            }
            JsonNode ea = effective(a, stage, from.backend());
            JsonNode eb = effective(b, stage, to.backend());
            List<FieldChange> changes = JsonDiff.fields(ea, eb);
            if (!changes.isEmpty()) {
                effective.put(name, changes);
            }
            // A resource on the stage config moves with it: said once, under the stage's config, not per resource.
            if (overrides(a, stage) || overrides(b, stage)) {
                moves.addAll(moves(name, ea, eb));
            }
        }
        return new ReleaseDiff(stage, fromName, toName, moves, JsonDiff.fields(from.backend(), to.backend()),
                JsonDiff.resources(from.resources(), to.resources()), effective);
    }

    private static boolean overrides(JsonNode resource, String stage) {
        JsonNode o = resource.path("overrides").path(stage);
        return o.isObject();
    }

    /** The backend config a resource gets on the stage: its override, else the stage's. */
    static JsonNode effective(JsonNode resource, String stage, JsonNode stageBackend) {
        JsonNode o = resource.path("overrides").path(stage);
        return o.isObject() ? o : stageBackend;
    }

    private static List<HostMove> moves(String resource, JsonNode a, JsonNode b) {
        List<HostMove> out = new ArrayList<>();
        List<String> da = hosts(a.path("hosts"));
        List<String> db = hosts(b.path("hosts"));
        if (!da.equals(db)) {
            out.add(new HostMove(resource, "default", da, db));
        }
        TreeSet<String> tenants = new TreeSet<>();
        a.path("tenant_pools").fieldNames().forEachRemaining(tenants::add);
        b.path("tenant_pools").fieldNames().forEachRemaining(tenants::add);
        for (String t : tenants) {
            List<String> ta = hosts(a.path("tenant_pools").path(t));
            List<String> tb = hosts(b.path("tenant_pools").path(t));
            if (!ta.equals(tb)) {
                out.add(new HostMove(resource, t, ta, tb));
            }
        }
        return out;
    }

    private static List<String> hosts(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (Iterator<JsonNode> it = list.elements(); it.hasNext(); ) {
            JsonNode h = it.next();
            out.add(h.path("url").asText() + " ×" + h.path("weight").asInt(1)
                    + (h.path("priority").asInt(0) != 0 ? " (priority " + h.path("priority").asInt() + ")" : ""));
        }
        return out;
    }
}
