package io.gatehouse.hoststate;

import io.gatehouse.hoststate.HostStateService.HostStateBody;
import io.gatehouse.hoststate.HostStateService.HostStateView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

@Path("/api/v1/gateways/{gw}/host-states")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class HostStateApi {
    private final HostStateService states;

    public HostStateApi(HostStateService states) {
        this.states = states;
    }

    /** The hosts that are not active (draining or disabled), by URL. */
    @GET
    public List<HostStateView> list(String gw) {
        return states.list(gw);
    }

    @PUT
    public HostStateView put(String gw, HostStateBody body) {
        return states.put(gw, body);
    }
}
