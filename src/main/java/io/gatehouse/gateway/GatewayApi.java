package io.gatehouse.gateway;

import io.gatehouse.gateway.GatewayService.GatewayPatch;
import io.gatehouse.gateway.GatewayService.GatewayView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/v1/gateways")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class GatewayApi {
    private final GatewayService gateways;

    public GatewayApi(GatewayService gateways) {
        this.gateways = gateways;
    }

    @GET
    @Path("/{gw}")
    public GatewayView get(String gw) {
        return gateways.get(gw);
    }

    /** {@code {"description": "..."}}; the name cannot change (it is in the public URL). */
    @PATCH
    @Path("/{gw}")
    public GatewayView update(String gw, GatewayPatch patch) {
        return gateways.update(gw, patch);
    }

    @DELETE
    @Path("/{gw}")
    public Response delete(String gw) {
        gateways.delete(gw);
        return Response.noContent().build();
    }
}
