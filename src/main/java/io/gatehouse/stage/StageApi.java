package io.gatehouse.stage;

import io.gatehouse.stage.StageService.StageBody;
import io.gatehouse.stage.StageService.StageChange;
import io.gatehouse.stage.StageService.StageView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

@Path("/api/v1/gateways")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class StageApi {
    private final StageService stages;

    public StageApi(StageService stages) {
        this.stages = stages;
    }

    @GET
    @Path("/{gw}/stages")
    public List<StageView> list(String gw) {
        return stages.list(gw);
    }

    @GET
    @Path("/{gw}/stages/{stage}")
    public StageView get(String gw, String stage) {
        return stages.get(gw, stage);
    }

    @PUT
    @Path("/{gw}/stages/{stage}")
    public Response put(String gw, String stage, StageBody body) {
        StageChange change = stages.put(gw, stage, body);
        return Response.status(change.created() ? 201 : 200).entity(change.stage()).build();
    }

    @DELETE
    @Path("/{gw}/stages/{stage}")
    public Response delete(String gw, String stage) {
        stages.delete(gw, stage);
        return Response.noContent().build();
    }
}
