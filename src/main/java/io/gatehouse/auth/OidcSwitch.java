package io.gatehouse.auth;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import jakarta.annotation.Priority;

/**
 * Turns OIDC on exactly when {@code quarkus.oidc.auth-server-url} is set. application.properties
 * disables the default OIDC tenant ({@code quarkus.oidc.tenant-enabled=false}), because quarkus-oidc
 * refuses to start without a server URL; this interceptor answers that property with "is a URL set"
 * unless someone set it explicitly above application.properties (system property or environment).
 */
@Priority(OidcSwitch.PRIORITY)
public class OidcSwitch implements ConfigSourceInterceptor {
    static final int PRIORITY = 4000;
    static final String ENABLED = "quarkus.oidc.tenant-enabled";
    static final String URL = "quarkus.oidc.auth-server-url";
    /** application.properties in the jar has ordinal 250; environment 300, system properties 400. */
    private static final int APPLICATION_PROPERTIES = 250;

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (!ENABLED.equals(name) || (value != null && value.getConfigSourceOrdinal() > APPLICATION_PROPERTIES)) {
            return value;
        }
        ConfigValue url = context.proceed(URL);
        boolean on = url != null && url.getValue() != null && !url.getValue().isBlank();
        if (value == null) {
            return ConfigValue.builder().withName(name).withValue(Boolean.toString(on))
                    .withConfigSourceName("OidcSwitch").withConfigSourceOrdinal(APPLICATION_PROPERTIES).build();
        }
        return value.withValue(Boolean.toString(on));
    }
}
