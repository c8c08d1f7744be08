package io.gatehouse.hoststate;

import io.gatehouse.common.ApiException;
import io.gatehouse.common.ValidationException;
import io.gatehouse.console.Chrome;
import io.gatehouse.console.Console;
import io.gatehouse.console.ConsoleErrors;
import io.gatehouse.console.FormInput;
import io.gatehouse.gateway.GatewayService;
import io.gatehouse.gateway.GatewayService.GatewayView;
import io.gatehouse.hoststate.HostStateService.HostStateBody;
import io.gatehouse.hoststate.HostStateService.HostStateView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/**
 * A gateway's hosts in the console, each with its operator state and a switch (drain, disable, back to
 * active) that takes effect on every instance without a release.
 */
@Path("/gateways/{gw}/hosts")
@Produces(MediaType.TEXT_HTML)
public class HostStatePages {

    @CheckedTemplate(basePath = "hosts")
    static class Templates {
        static native TemplateInstance list(Chrome chrome, GatewayView gateway, List<HostStateView> hosts);
    }

    private final HostStateService states;
    private final GatewayService gateways;
    private final Console console;

    public HostStatePages(HostStateService states, GatewayService gateways, Console console) {
        this.states = states;
        this.gateways = gateways;
        this.console = console;
    }

    @GET
    public TemplateInstance list(String gw) {
        GatewayView gateway = gateways.get(gw);
        return Templates.list(console.chrome("Hosts · " + gw, gateway.team()), gateway, states.hosts(gw));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response set(String gw, MultivaluedMap<String, String> values) {
        FormInput in = new FormInput(values);
        String url = in.get("url");
        String state = in.get("state");
        try {
            states.put(gw, new HostStateBody(url, state, in.raw("reason")));
        } catch (ValidationException e) {
            return Console.redirect("/gateways/" + gw + "/hosts", "error", e.getMessage());
        }
        return Console.redirect("/gateways/" + gw + "/hosts", url + " is now " + state
                + " on every instance (no release needed).");
    }

    @ServerExceptionMapper
    Response failed(ApiException e) {
        return ConsoleErrors.page(e);
    }
}
