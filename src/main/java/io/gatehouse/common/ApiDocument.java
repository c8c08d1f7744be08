package io.gatehouse.common;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import java.util.List;

/**
 * Shapes the OpenAPI document of the admin API (served at {@code /q/openapi}, Swagger UI at
 * {@code /q/swagger-ui}); registered with {@code mp.openapi.filter}. The console's HTML pages are JAX-RS
 * resources too, so only {@code /api/} paths are kept; both ways to authenticate are declared.
 */
public final class ApiDocument implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.info(OASFactory.createInfo().title("Gatehouse admin API").version("v1")
                .description("Teams, gateways, stages, resources, versions and releases. Errors are RFC 9457 "
                        + "problem JSON with a stable code and the bad fields."));
        if (openAPI.getPaths() != null && openAPI.getPaths().getPathItems() != null) {
            List<String> others = openAPI.getPaths().getPathItems().keySet().stream()
                    .filter(path -> !path.startsWith("/api/")).toList();
            others.forEach(openAPI.getPaths()::removePathItem);
        }
        Components components = openAPI.getComponents() == null ? OASFactory.createComponents() : openAPI.getComponents();
        components.addSecurityScheme("basic", OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("basic").description("Local accounts"));
        components.addSecurityScheme("token", OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer").description("Personal access token (POST /api/v1/tokens)"));
        openAPI.components(components);
        openAPI.security(List.of(OASFactory.createSecurityRequirement().addScheme("basic"),
                OASFactory.createSecurityRequirement().addScheme("token")));
    }
}
