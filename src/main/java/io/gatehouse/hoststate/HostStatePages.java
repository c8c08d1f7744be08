package io.gatehouse.hoststate;

import io.gatehouse.common.ValidationException;
import io.gatehouse.console.Chrome;
import io.gatehouse.console.Console;
import io.gatehouse.console.FormInput;
import io.gatehouse.gateway.GatewayService;
import io.gatehouse.gateway.GatewayService.GatewayView;
import io.gatehouse.hoststate.HostStateService.HostStateBody;
import io.gatehouse.hoststate.HostStateService.HostStateView;
import io.gatehouse.instance.ProxyInstance;
import io.gatehouse.instance.ProxyRuntime;
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

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A gateway's hosts in the console, each with its operator state and a switch (drain, disable, back to
 * active) that takes effect on every instance without a release.
 */
@Path("/gateways/{gw}/hosts")
@Produces(MediaType.TEXT_HTML)
public class HostStatePages {

    /** A host's state and its requests in flight on this instance, over every stage of the gateway. */
    public record HostLine(HostStateView state, int inFlight) {
    }

    @CheckedTemplate(basePath = "hosts")
    static class Templates {
        static native TemplateInstance list(Chrome chrome, GatewayView gateway, List<HostLine> hosts, String instance);
    }

    private final HostStateService states;
    private final GatewayService gateways;
    private final Console console;
    private final ProxyRuntime runtime;

    public HostStatePages(HostStateService states, GatewayService gateways, Console console, ProxyRuntime runtime) {
        this.states = states;
        this.gateways = gateways;
        this.console = console;
        this.runtime = runtime;
    }

    @GET
    public TemplateInstance list(String gw) {
        GatewayView gateway = gateways.get(gw);
        Map<String, Integer> inFlight = new HashMap<>();
        ProxyInstance instance = runtime.instance();
        if (instance != null) {
            instance.registries().view().forEach((scope, registry) -> {
                if (scope.startsWith(gw + "/")) {
                    registry.view().forEach((url, state) -> inFlight.merge(url, state.inFlight(), Integer::sum));
                }
            });
        }
        List<HostLine> lines = states.hosts(gw).stream()
                .map(h -> new HostLine(h, inFlight.getOrDefault(h.url(), 0))).toList();
        return Templates.list(console.chrome("Hosts · " + gw, gateway.team()), gateway, lines,
                instance == null ? "" : instance.instanceId());
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
}
