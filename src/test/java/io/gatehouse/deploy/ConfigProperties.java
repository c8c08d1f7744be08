package io.gatehouse.deploy;

import io.gatehouse.GatehouseConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The {@code gatehouse.*} properties as the code defines them, read by reflection over
 * {@link GatehouseConfig} the way SmallRye Config names them (method names in kebab case, nested
 * interfaces as groups), each with its {@code @WithDefault} (null when it has none).
 */
final class ConfigProperties {
    private ConfigProperties() {
    }

    static Map<String, String> gatehouse() {
        Map<String, String> out = new TreeMap<>();
        String prefix = GatehouseConfig.class.getAnnotation(ConfigMapping.class).prefix();
        walk(prefix, GatehouseConfig.class, out);
        return out;
    }

    private static void walk(String prefix, Class<?> type, Map<String, String> out) {
        Method[] methods = type.getDeclaredMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method m : methods) {
            if (m.getParameterCount() != 0 || m.isDefault() || Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            WithName withName = m.getAnnotation(WithName.class);
            String name = prefix + "." + (withName != null ? withName.value() : kebab(m.getName()));
            Class<?> r = m.getReturnType();
            if (r.isInterface() && !isLeaf(r)) {
                walk(name, r, out);
            } else {
                WithDefault d = m.getAnnotation(WithDefault.class);
                out.put(name, d == null ? null : d.value());
            }
        }
    }

    private static boolean isLeaf(Class<?> r) {
        return r == Optional.class || r == OptionalInt.class || r == OptionalLong.class || r == OptionalDouble.class
                || r.getName().startsWith("java.");
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** The environment variable SmallRye Config reads for a property: non-alphanumerics become _, upper case. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
