package io.gatehouse.tenant;

import io.gatehouse.tenant.TenantService.KeyBody;
import io.gatehouse.tenant.TenantService.KeyView;
import io.gatehouse.tenant.TenantService.TenantBody;
import io.gatehouse.tenant.TenantService.TenantChange;
import io.gatehouse.tenant.TenantService.TenantView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

@Path("/api/v1/gateways")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TenantApi {
    private final TenantService tenants;

    public TenantApi(TenantService tenants) {
        this.tenants = tenants;
    }

    @GET
    @Path("/{gw}/tenants")
    public List<TenantView> list(String gw) {
        return tenants.list(gw);
    }

    @GET
    @Path("/{gw}/tenants/{tenant}")
    public TenantView get(String gw, String tenant) {
        return tenants.get(gw, tenant);
    }

    @PUT
    @Path("/{gw}/tenants/{tenant}")
    public Response put(String gw, String tenant, TenantBody body) {
        TenantChange change = tenants.put(gw, tenant, body);
        return Response.status(change.created() ? 201 : 200).entity(change.tenant()).build();
    }

    @DELETE
    @Path("/{gw}/tenants/{tenant}")
    public Response delete(String gw, String tenant) {
        tenants.delete(gw, tenant);
        return Response.noContent().build();
    }

    @POST
    @Path("/{gw}/tenants/{tenant}/keys")
    public Response createKey(String gw, String tenant, KeyBody body) {
        return Response.status(201).entity(tenants.createKey(gw, tenant, body)).build();
    }

    @GET
    @Path("/{gw}/tenants/{tenant}/keys")
    public List<KeyView> keys(String gw, String tenant) {
        return tenants.keys(gw, tenant);
    }

    @DELETE
    @Path("/{gw}/tenants/{tenant}/keys/{id}")
    public Response revokeKey(String gw, String tenant, long id) {
        tenants.revokeKey(gw, tenant, id);
        return Response.noContent().build();
    }
}
