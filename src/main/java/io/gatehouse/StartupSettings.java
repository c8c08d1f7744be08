package io.gatehouse;

import io.smallrye.config.DotEnvConfigSourceProvider;
import io.smallrye.config.PropertiesConfigSourceLoader;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The settings GatehouseMain needs before Quarkus starts (whether to start the embedded database, and where),
 * read from the same sources and with the same precedence as Quarkus reads them once it runs: system
 * properties (400), environment (300), {@code .env} in the working directory (295),
 * {@code config/application.properties} there (260), {@code application.properties} in the jar (250), each with
 * {@code %profile.} keys and expressions. Reading only {@code -D} and the environment would start an
 * embedded database beside a JDBC URL that Quarkus then ignores for it.
 */
public final class StartupSettings {
    public static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    public static final String DATA_DIR = "gatehouse.data-dir";

    private final SmallRyeConfig config;

    private StartupSettings(SmallRyeConfig config) {
        this.config = config;
    }

    /** As the packaged application reads them, from the process's working directory. */
    public static StartupSettings read() {
        return read(Path.of(System.getProperty("user.dir")));
    }

    static StartupSettings read(Path workDir) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withProfile(profile())
                .addDefaultInterceptors()
                .addSystemSources()
                .withSources(DotEnvConfigSourceProvider.dotEnvSources(workDir.resolve(".env").toUri().toString(), cl))
                .withSources(PropertiesConfigSourceLoader.inFileSystem(
                        workDir.resolve("config").resolve("application.properties").toUri().toString(), 260, cl))
                .withSources(PropertiesConfigSourceLoader.inClassPath("application.properties", 250, cl))
                .build();
        return new StartupSettings(config);
    }

    /** {@code quarkus.profile} from -D or QUARKUS_PROFILE, else prod as in a packaged jar. */
    private static String profile() {
        String p = System.getProperty("quarkus.profile");
        if (p == null || p.isBlank()) {
            p = System.getenv("QUARKUS_PROFILE");
        }
        return p == null || p.isBlank() ? "prod" : p;
    }

    /** The datasource URL if one is configured anywhere; without it Gatehouse starts its embedded PostgreSQL. */
    public Optional<String> jdbcUrl() {
        return config.getOptionalValue(JDBC_URL, String.class).filter(s -> !s.isBlank());
    }

    /** Whether {@code name} is set to something other than blank in any of the sources. */
    public boolean isSet(String name) {
        return config.getOptionalValue(name, String.class).filter(s -> !s.isBlank()).isPresent();
    }

    /** {@code gatehouse.data-dir}, default {@code ./data}. */
    public Path dataDir() {
        return Path.of(config.getOptionalValue(DATA_DIR, String.class).filter(s -> !s.isBlank()).orElse("data"));
    }
}
