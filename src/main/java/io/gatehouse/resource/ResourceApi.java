package io.gatehouse.resource;

import io.gatehouse.resource.ResourceService.ResourceChange;
import io.gatehouse.resource.ResourceService.ResourceView;
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
public class ResourceApi {
    private final ResourceService resources;

    public ResourceApi(ResourceService resources) {
        this.resources = resources;
    }

    @GET
    @Path("/{gw}/resources")
    public List<ResourceView> list(String gw) {
        return resources.list(gw);
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
