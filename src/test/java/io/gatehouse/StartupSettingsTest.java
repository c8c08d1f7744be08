package io.gatehouse;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Whether the embedded database starts is decided by the same config sources Quarkus uses, not only -D and the
 * environment: a JDBC URL in config/application.properties or .env of the working directory counts, with profiles.
 */
class StartupSettingsTest {

    @Test
    void nothingConfiguredMeansTheEmbeddedDatabaseUnderDotData() throws Exception {
        Path dir = Files.createTempDirectory("gatehouse-settings");
        StartupSettings s = StartupSettings.read(dir);
        assertEquals(Optional.empty(), s.jdbcUrl());
        assertEquals(Path.of("data"), s.dataDir());
    }

    @Test
    void aUrlInConfigApplicationPropertiesIsSeen() throws Exception {
        Path dir = Files.createTempDirectory("gatehouse-settings");
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/application.properties"), """
                quarkus.datasource.jdbc.url=jdbc:postgresql://db.example:5432/gatehouse
                gatehouse.data-dir=/var/lib/gatehouse
                """);
        StartupSettings s = StartupSettings.read(dir);
        assertEquals(Optional.of("jdbc:postgresql://db.example:5432/gatehouse"), s.jdbcUrl());
        assertEquals(Path.of("/var/lib/gatehouse"), s.dataDir());
    }

    @Test
    void aUrlInDotEnvIsSeenAndWinsOverConfigApplicationProperties() throws Exception {
        Path dir = Files.createTempDirectory("gatehouse-settings");
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/application.properties"), "quarkus.datasource.jdbc.url=jdbc:postgresql://file/g\n");
        Files.writeString(dir.resolve(".env"), "QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://dotenv/g\n");
        assertEquals(Optional.of("jdbc:postgresql://dotenv/g"), StartupSettings.read(dir).jdbcUrl());
    }

    @Test
    void profilesApplyAsInQuarkus() throws Exception {
        Path dir = Files.createTempDirectory("gatehouse-settings");
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/application.properties"), """
                %dev.quarkus.datasource.jdbc.url=jdbc:postgresql://dev-only/g
                %prod.gatehouse.data-dir=/srv/prod
                """);
        StartupSettings s = StartupSettings.read(dir);
        assertEquals(Optional.empty(), s.jdbcUrl(), "a %dev URL does not apply to the packaged (prod) application");
        assertEquals(Path.of("/srv/prod"), s.dataDir());
    }
}
