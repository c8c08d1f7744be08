package io.gatehouse.audit;

import io.gatehouse.audit.AuditService.AuditView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

@Path("/api/v1/gateways")
@Produces(MediaType.APPLICATION_JSON)
public class AuditApi {
    private final AuditService audit;

    public AuditApi(AuditService audit) {
        this.audit = audit;
    }

    /** Who changed what in a gateway, newest first; filter by {@code actor} and a {@code since}/{@code until} window. */
    @GET
    @Path("/{gw}/audit")
    public List<AuditView> audit(String gw, @QueryParam("actor") String actor, @QueryParam("since") String since,
                                 @QueryParam("until") String until, @QueryParam("limit") Integer limit) {
        return audit.forGateway(gw, actor, since, until, limit);
    }
}
