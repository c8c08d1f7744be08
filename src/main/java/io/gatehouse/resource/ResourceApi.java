package io.gatehouse.resource;

import io.gatehouse.common.Keyset;
import io.gatehouse.resource.ResourceService.ResourceChange;
import io.gatehouse.resource.ResourceService.ResourceView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;

@Path("/api/v1/gateways")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ResourceApi {
    private final ResourceService resources;

    public ResourceApi(ResourceService resources) {
        this.resources = resources;
    }

    /**
     * A page of the gateway's resources in name order (a JSON array, as before paging). Paged as GitHub's API
     * pages: {@code limit} (1–1000, default 100), the next page in a {@code Link: <...>; rel="next"} header
     * (absent on the last page), the number of matches in {@code X-Total-Count}; {@code q} keeps those whose
     * name or path contains it.
     */
    @GET
    @Path("/{gw}/resources")
    public RestResponse<List<ResourceView>> list(String gw, @QueryParam("q") String q, @QueryParam("after") String after,
                                                 @QueryParam("limit") Integer limit, @Context UriInfo uri) {
        Keyset.Page<ResourceView> page = resources.page(gw, q, after, limit);
        RestResponse.ResponseBuilder<List<ResourceView>> r = RestResponse.ResponseBuilder.ok(page.items())
                .header("X-Total-Count", page.total());
        if (page.next() != null) {
            r.link(uri.getRequestUriBuilder().replaceQueryParam("after", page.next()).build(), "next");
        }
        return r.build();
    }

    @GET
    @Path("/{gw}/resources/{resource}")
    public ResourceView get(String gw, String resource) {
        return resources.get(gw, resource);
    }

    @PUT
    @Path("/{gw}/resources/{resource}")
    public Response put(String gw, String resource, ResourceSpec body) {
        ResourceChange change = resources.put(gw, resource, body);
        return Response.status(change.created() ? 201 : 200).entity(change.resource()).build();
    }

    @DELETE
    @Path("/{gw}/resources/{resource}")
    public Response delete(String gw, String resource) {
        resources.delete(gw, resource);
        return Response.noContent().build();
    }
}
