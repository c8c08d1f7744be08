package io.gatehouse.traffic;

import io.gatehouse.stage.StageService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/v1/gateways/{gw}/stages/{stage}/health}: each host on each live instance, with the reason. */
@Path("/api/v1/gateways/{gw}/stages/{stage}/health")
@Produces(MediaType.APPLICATION_JSON)
public class StageHealthApi {

    private final StageService stages;
    private final StageHealth health;

    public StageHealthApi(StageService stages, StageHealth health) {
        this.stages = stages;
        this.health = health;
    }

    @GET
    public StageHealth.View get(String gw, String stage) {
        stages.get(gw, stage); // 404 unless the caller may see the gateway and it has this stage
        return health.of(gw, stage);
    }
}
