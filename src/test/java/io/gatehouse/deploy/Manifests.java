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
    /** The image's name in deploy/: compose builds it as gatehouse:local, kustomize renames it to your registry's. */
    static final String IMAGE_REPOSITORY = "gatehouse";
    /** What the documented `deploy/.env` holds for a test: a fresh random value per variable compose requires. */
    private static final Map<String, String> DOT_ENV = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

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

    /**
     * Resolves compose's {@code ${VAR:-default}} the way compose does when VAR is unset, and a required
     * {@code ${VAR:?message}} from the generated {@code deploy/.env} that docs/operations.md tells you to write
     * ({@code openssl rand -base64 32} per variable): the same value for the same VAR, as compose would give.
     */
    static String interpolateDefaults(String value) {
        if (value == null) {
            return null;
        }
        String defaults = value.replaceAll("\\$\\{[A-Za-z0-9_]+:-([^}]*)}", "$1");
        return java.util.regex.Pattern.compile("\\$\\{([A-Za-z0-9_]+):\\?[^}]*}").matcher(defaults)
                .replaceAll(m -> java.util.regex.Matcher.quoteReplacement(dotEnv(m.group(1))));
    }

    static String dotEnv(String variable) {
        return DOT_ENV.computeIfAbsent(variable, v -> {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            return java.util.Base64.getEncoder().encodeToString(bytes);
        });
    }

    /** The variables compose requires ({@code ${VAR:?...}}) anywhere in the compose file, in order. */
    static java.util.Set<String> requiredVariables() {
        try {
            java.util.Set<String> out = new java.util.LinkedHashSet<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([A-Za-z0-9_]+):\\?").matcher(Files.readString(COMPOSE));
            while (m.find()) {
                out.add(m.group(1));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
