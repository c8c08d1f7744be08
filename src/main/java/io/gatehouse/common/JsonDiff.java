package io.gatehouse.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Field-by-field differences between JSON documents, named by the same paths the API's validation
 * errors use ({@code overrides.prod.hosts[0].weight}). Objects are compared by key, arrays by index.
 */
public final class JsonDiff {

    public record FieldChange(String field, JsonNode from, JsonNode to) {
    }

    /** Resources added, removed and changed between two name-to-resource maps. */
    public record ResourcesDiff(List<String> added, List<String> removed, Map<String, List<FieldChange>> changed) {
        public ResourcesDiff {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            changed = java.util.Collections.unmodifiableMap(new TreeMap<>(changed));
        }

        public boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
        }
    }

    private JsonDiff() {
    }

    public static List<FieldChange> fields(JsonNode from, JsonNode to) {
        Map<String, JsonNode> a = new TreeMap<>();
        Map<String, JsonNode> b = new TreeMap<>();
        flatten("", from, a);
        flatten("", to, b);
        TreeSet<String> paths = new TreeSet<>(a.keySet());
        paths.addAll(b.keySet());
        List<FieldChange> changes = new ArrayList<>();
        for (String path : paths) {
            JsonNode x = a.getOrDefault(path, NullNode.getInstance());
            JsonNode y = b.getOrDefault(path, NullNode.getInstance());
            if (!x.equals(y)) {
                changes.add(new FieldChange(path, x, y));
            }
        }
        return changes;
    }

    /** Compares two JSON objects of resource name to resource. */
    public static ResourcesDiff resources(JsonNode from, JsonNode to) {
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        Map<String, List<FieldChange>> changed = new TreeMap<>();
        TreeSet<String> names = new TreeSet<>();
        from.fieldNames().forEachRemaining(names::add);
        to.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            if (!from.has(name)) {
                added.add(name);
            } else if (!to.has(name)) {
                removed.add(name);
            } else {
                List<FieldChange> fields = fields(from.get(name), to.get(name));
                if (!fields.isEmpty()) {
                    changed.put(name, fields);
                }
            }
        }
        return new ResourcesDiff(added, removed, changed);
    }

    private static void flatten(String path, JsonNode node, Map<String, JsonNode> out) {
        if (node == null || node.isNull()) {
            return;
        }
        // Empty objects and arrays hold no field: {} beside a missing key is no difference.
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(path + "[" + i + "]", node.get(i), out);
            }
        } else {
            out.put(path, node);
        }
    }
}
