package io.gatehouse;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The HTTP endpoints the compiled JAX-RS classes declare, as "METHOD /path/template", found by reflection
 * over target/classes: the access matrices are generated from them, so a new endpoint without a rule fails.
 */
public final class Endpoints {
    private Endpoints() {
    }

    /** The admin API: classes whose root path starts with /api/. */
    public static TreeSet<String> api() throws IOException, ClassNotFoundException {
        return declared(root -> root.startsWith("/api/"));
    }

    /** The console: every other class, pages (GET) and forms (POST). */
    public static TreeSet<String> console() throws IOException, ClassNotFoundException {
        return declared(root -> !root.startsWith("/api/"));
    }

    static TreeSet<String> declared(Predicate<String> rootFilter) throws IOException, ClassNotFoundException {
        TreeSet<String> endpoints = new TreeSet<>();
        java.nio.file.Path classes = java.nio.file.Path.of("target/classes");
        List<java.nio.file.Path> files;
        try (Stream<java.nio.file.Path> walk = Files.walk(classes)) {
            files = walk.filter(p -> p.toString().endsWith(".class") && !p.toString().contains("$")).toList();
        }
        for (java.nio.file.Path file : files) {
            String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
            Class<?> type = Class.forName(name, false, Endpoints.class.getClassLoader());
            Path root = type.getAnnotation(Path.class);
            if (root == null || !rootFilter.test(root.value())) {
                continue;
            }
            for (Method m : type.getDeclaredMethods()) {
                String verb = verb(m);
                if (verb != null) {
                    Path sub = m.getAnnotation(Path.class);
                    endpoints.add(verb + " " + join(root.value(), sub == null ? "" : sub.value()));
                }
            }
        }
        return endpoints;
    }

    /** Any JAX-RS verb (GET, PATCH, HEAD...): the annotations that carry {@link HttpMethod}. */
    private static String verb(Method m) {
        for (java.lang.annotation.Annotation a : m.getAnnotations()) {
            HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    /** "/" + "login" is "/login", "/teams" + "{team}" is "/teams/{team}", "/api/v1" + "/me" is "/api/v1/me". */
    static String join(String root, String sub) {
        String path = ("/" + root + "/" + sub).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
