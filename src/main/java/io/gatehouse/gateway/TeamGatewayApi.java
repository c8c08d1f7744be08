package io.gatehouse.gateway;

import io.gatehouse.gateway.GatewayService.GatewayBody;
import io.gatehouse.gateway.GatewayService.GatewayView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** A team's gateways. Its own root path: JAX-RS matches root paths first, so it cannot live in GatewayApi. */
@Path("/api/v1/teams/{team}/gateways")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TeamGatewayApi {
    private final GatewayService gateways;

    public TeamGatewayApi(GatewayService gateways) {
        this.gateways = gateways;
    }

    @POST
    public Response create(String team, GatewayBody body) {
        return Response.status(201).entity(gateways.create(team, body)).build();
    }

    @GET
    public List<GatewayView> list(String team) {
        return gateways.list(team);
    }
}
