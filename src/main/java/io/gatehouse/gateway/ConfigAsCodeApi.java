package io.gatehouse.gateway;

import io.gatehouse.gateway.ConfigAsCodeService.Format;
import io.gatehouse.gateway.ConfigAsCodeService.ImportResult;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** A gateway's drafts as a file: {@code ?format=yaml} or {@code json} (the default), and back. */
@Path("/api/v1/gateways")
public class ConfigAsCodeApi {
    static final String YAML = "application/yaml";

    private final ConfigAsCodeService service;

    public ConfigAsCodeApi(ConfigAsCodeService service) {
        this.service = service;
    }

    @GET
    @Path("/{gw}/export")
    @Produces({MediaType.APPLICATION_JSON, YAML})
    public Response export(String gw, @QueryParam("format") String format) {
        Format f = "yaml".equalsIgnoreCase(format) ? Format.YAML : Format.JSON;
        return Response.ok(service.export(gw, f), f == Format.YAML ? YAML : MediaType.APPLICATION_JSON).build();
    }

    /** Applies a document as drafts in one transaction; {@code ?dry_run=true} only shows what would change. */
    @PUT
    @Path("/{gw}/import")
    @Consumes({MediaType.APPLICATION_JSON, YAML, "text/yaml", "application/x-yaml"})
    @Produces(MediaType.APPLICATION_JSON)
    public ImportResult importDocument(String gw, @HeaderParam("Content-Type") String contentType,
                                       @QueryParam("dry_run") boolean dryRun, String body) {
        Format f = contentType != null && contentType.contains("yaml") ? Format.YAML : Format.JSON;
        return service.importDocument(gw, body, f, dryRun);
    }
}
