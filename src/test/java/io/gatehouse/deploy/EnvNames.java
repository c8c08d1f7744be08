package io.gatehouse.deploy;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Environment variables used in deploy/ must be real settings: {@code GATEHOUSE_*} one of
 * GatehouseConfig's properties (by reflection), {@code QUARKUS_*} a Quarkus property that
 * docs/configuration.md documents, anything else a variable of the base image's run script.
 */
final class EnvNames {
    static final Path CONFIG_DOC = Path.of("docs/configuration.md");
    /** Read by the UBI OpenJDK image's run-java.sh, not by Quarkus. */
    static final Set<String> IMAGE_VARIABLES = Set.of("JAVA_MAX_MEM_RATIO", "JAVA_INITIAL_MEM_RATIO",
            "JAVA_OPTS_APPEND", "JAVA_APP_JAR", "GC_MAX_METASPACE_SIZE");

    private EnvNames() {
    }

    static Set<String> gatehouse() {
        return ConfigProperties.gatehouse().keySet().stream().map(ConfigProperties::envName).collect(Collectors.toSet());
    }

    static Set<String> documentedQuarkus() {
        return MarkdownTables.rows(CONFIG_DOC).keySet().stream().filter(k -> k.startsWith("quarkus."))
                .map(ConfigProperties::envName).collect(Collectors.toSet());
    }

    static void assertKnown(String env, String where) {
        if (env.startsWith("GATEHOUSE_")) {
            assertTrue(gatehouse().contains(env), where + ": " + env + " is no gatehouse.* property of GatehouseConfig");
        } else if (env.startsWith("QUARKUS_")) {
            assertTrue(documentedQuarkus().contains(env), where + ": " + env
                    + " is not a quarkus.* property documented in docs/configuration.md");
        } else {
            assertTrue(IMAGE_VARIABLES.contains(env), where + ": " + env + " is neither a Gatehouse nor a Quarkus "
                    + "setting nor a variable of the base image");
        }
    }
}
