package io.gatehouse.tryit;

import io.gatehouse.tryit.TryIt.TryRequest;
import io.gatehouse.tryit.TryIt.TryResult;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** "Try it" in the admin API: N test requests through this instance's proxy, and which host answered each. */
@Path("/api/v1/gateways")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TryItApi {
    private final TryIt tryIt;

    public TryItApi(TryIt tryIt) {
        this.tryIt = tryIt;
    }

    /** {@code {"count":100,"tenant":"acme","path":"/users/7"}}, every field optional; runs on a worker thread. */
    @POST
    @Path("/{gw}/stages/{stage}/resources/{resource}/try")
    public TryResult run(String gw, String stage, String resource, TryRequest body) {
        return tryIt.run(gw, stage, resource, body);
    }
}
