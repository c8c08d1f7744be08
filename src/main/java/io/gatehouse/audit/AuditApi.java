package io.gatehouse.audit;

import io.gatehouse.audit.AuditService.AuditView;
import io.gatehouse.common.Keyset;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;

@Path("/api/v1/gateways")
@Produces(MediaType.APPLICATION_JSON)
public class AuditApi {
    private final AuditService audit;

    public AuditApi(AuditService audit) {
        this.audit = audit;
    }

    /**
     * Who changed what in a gateway, newest first; filter by {@code actor} and a {@code since}/{@code until} window,
     * search with {@code q}. Paged like the resources list: the next page in a {@code Link: <...>; rel="next"}
     * header ({@code after} the last entry's id), the number of matches in {@code X-Total-Count}.
     */
    @GET
    @Path("/{gw}/audit")
    public RestResponse<List<AuditView>> audit(String gw, @QueryParam("actor") String actor,
                                               @QueryParam("since") String since, @QueryParam("until") String until,
                                               @QueryParam("q") String q, @QueryParam("after") String after,
                                               @QueryParam("limit") Integer limit, @Context UriInfo uri) {
        Keyset.Page<AuditView> page = audit.forGateway(gw, actor, since, until, q, after, limit);
        RestResponse.ResponseBuilder<List<AuditView>> r = RestResponse.ResponseBuilder.ok(page.items())
                .header("X-Total-Count", page.total());
        if (page.next() != null) {
            r.link(uri.getRequestUriBuilder().replaceQueryParam("after", page.next()).build(), "next");
        }
        return r.build();
    }
}
