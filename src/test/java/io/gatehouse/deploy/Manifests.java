package io.gatehouse.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The deployment files, parsed, and small typed views over the parsed maps. Shared by the unit test and the IT. */
final class Manifests {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path COMPOSE = ROOT.resolve("deploy/compose.yaml");
    static final Path KUBERNETES = ROOT.resolve("deploy/kubernetes");
    static final String IMAGE_REPOSITORY = "gatehouse/gatehouse";

    private Manifests() {
    }

    static Map<String, Object> compose() {
        return load(COMPOSE).get(0);
    }

    static List<Map<String, Object>> load(Path file) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file)) {
            for (Object doc : new Yaml(options).loadAll(r)) {
                if (doc != null) {
                    docs.add(map(doc, file.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** The Gatehouse services of the compose file (those running the Gatehouse image), by name. */
    static Map<String, Map<String, Object>> gatehouseServices(Map<String, Object> compose) {
        Map<String, Map<String, Object>> out = new java.util.TreeMap<>();
        map(compose.get("services"), "services").forEach((name, s) -> {
            Map<String, Object> service = map(s, name);
            if (String.valueOf(service.get("image")).startsWith(IMAGE_REPOSITORY + ":")) {
                out.put(name, service);
            }
        });
        return out;
    }

    /** A compose service's environment as a map (both the map and the KEY=value list forms). */
    static Map<String, String> environment(Map<String, Object> service) {
        Object env = service.get("environment");
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (env instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else if (env instanceof List<?> l) {
            for (Object item : l) {
                String s = String.valueOf(item);
                int eq = s.indexOf('=');
                out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
            }
        }
        return out;
    }

    /** Resolves compose's {@code ${VAR:-default}} the way compose does when VAR is unset. */
    static String interpolateDefaults(String value) {
        return value == null ? null : value.replaceAll("\\$\\{[A-Za-z0-9_]+:-([^}]*)}", "$1");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String what) {
        if (!(o instanceof Map<?, ?>)) {
            throw new AssertionError(what + " should be a mapping, is " + o);
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o, String what) {
        if (o == null) {
            return List.of();
        }
        if (!(o instanceof List<?>)) {
            throw new AssertionError(what + " should be a list, is " + o);
        }
        return (List<Object>) o;
    }

    /** Walks a path of keys through nested maps; null when any step is missing. */
    static Object at(Object root, String... keys) {
        Object cur = root;
        for (String k : keys) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(k);
        }
        return cur;
    }

    static String str(Object root, String... keys) {
        Object v = at(root, keys);
        return v == null ? null : Objects.toString(v);
    }
}
