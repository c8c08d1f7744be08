package io.gatehouse.release;

import com.fasterxml.jackson.core.type.TypeReference;
import io.gatehouse.GatehouseConfig;
import io.gatehouse.auth.Access;
import io.gatehouse.common.ApiException;
import io.gatehouse.common.FieldError;
import io.gatehouse.common.JsonColumns;
import io.gatehouse.common.ValidationException;
import io.gatehouse.gateway.Gateway;
import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.stage.BackendConfig;
import io.gatehouse.stage.Stage;
import io.gatehouse.team.Role;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A stage's latest release as Kubernetes Gateway API + Envoy Gateway YAML ({@link GatewayApiExport}).
 * {@code ?gateway=} and {@code ?gateway_namespace=} name the parent Gateway (default {@code eg}, the
 * routes' own namespace), {@code ?namespace=} where the objects go (default {@code default}).
 */
@Path("/api/v1/gateways")
public class GatewayApiExportApi {
    static final String YAML = "application/yaml";
    private static final TypeReference<Map<String, ResourceSpec>> RESOURCES = new TypeReference<>() {
    };

    private final Access access;
    private final JsonColumns json;
    private final GatehouseConfig config;

    public GatewayApiExportApi(Access access, JsonColumns json, GatehouseConfig config) {
        this.access = access;
        this.json = json;
        this.config = config;
    }

    @GET
    @Path("/{gw}/stages/{stage}/export/gateway-api")
    @Produces(YAML)
    public Response export(String gw, String stage, @QueryParam("gateway") String parent,
                           @QueryParam("gateway_namespace") String parentNamespace,
                           @QueryParam("namespace") String namespace) {
        String yaml = yaml(gw, stage, parent, parentNamespace, namespace);
        return Response.ok(yaml, YAML)
                .header("Content-Disposition", "attachment; filename=\"" + gw + "-" + stage + "-gateway-api.yaml\"")
                .build();
    }

    /** The YAML of the stage's latest release; also what the console's download link serves. */
    @Transactional
    public String yaml(String gw, String stageName, String parent, String parentNamespace, String namespace) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        Stage stage = Stage.find(gateway, stageName).orElseThrow(() -> ApiException.notFound("stage", stageName));
        List<FieldError> bad = new ArrayList<>();
        String p = check("gateway", parent, "eg", bad);
        String pn = check("gateway_namespace", parentNamespace, null, bad);
        String ns = check("namespace", namespace, "default", bad);
        if (!bad.isEmpty()) {
            throw ValidationException.badRequest(bad);
        }
        Release latest = Release.latest(stage).orElseThrow(() -> ValidationException.of("stage", "stage '" + stageName
                + "' is not published: there is no release to export"));
        return GatewayApiExport.yaml(gateway.name, stage.name, latest.number, json.read(latest.backend, BackendConfig.class),
                json.read(latest.resources, RESOURCES), new GatewayApiExport.Options(p, pn, ns,
                        config.proxy().passiveCooldown()));
    }

    private static String check(String field, String value, String fallback, List<FieldError> bad) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        if (!GatewayApiExport.DNS_LABEL.matcher(value).matches()) {
            bad.add(new FieldError(field, "must be a Kubernetes name: lower-case letters, digits and -, at most 63"));
        }
        return value;
    }
}
