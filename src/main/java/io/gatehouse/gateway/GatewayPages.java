package io.gatehouse.gateway;

import io.gatehouse.common.ValidationException;
import io.gatehouse.console.Chrome;
import io.gatehouse.console.Console;
import io.gatehouse.console.FormErrors;
import io.gatehouse.console.FormInput;
import io.gatehouse.console.PublicUrl;
import io.gatehouse.gateway.GatewayService.GatewayPatch;
import io.gatehouse.gateway.GatewayService.GatewayView;
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

/** One gateway's overview and settings, and its deletion (owners, after typing the name). */
@Path("/gateways/{gw}")
@Produces(MediaType.TEXT_HTML)
public class GatewayPages {

    @CheckedTemplate(basePath = "gateways")
    static class Templates {
        static native TemplateInstance overview(Chrome chrome, GatewayView gateway, String description, String confirm,
                                                FormErrors errors, String publicBase);
    }

    private final GatewayService gateways;
    private final Console console;
    private final PublicUrl publicUrl;

    public GatewayPages(GatewayService gateways, Console console, PublicUrl publicUrl) {
        this.gateways = gateways;
        this.console = console;
        this.publicUrl = publicUrl;
    }

    @GET
    public TemplateInstance overview(String gw) {
        GatewayView gateway = gateways.get(gw);
        return Templates.overview(console.chrome(gateway.name(), gateway.team()), gateway, gateway.description(), "",
                FormErrors.NONE, publicUrl.base());
    }

    /** The description (maintainers); errors come back next to the field, nothing saved. */
    @POST
    @Path("settings")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response settings(String gw, MultivaluedMap<String, String> values) {
        FormInput in = new FormInput(values);
        try {
            // An emptied field clears the description.
            String description = in.get("description");
            gateways.update(gw, new GatewayPatch(description == null ? "" : description));
        } catch (ValidationException e) {
            GatewayView gateway = gateways.get(gw);
            return Response.status(422).entity(Templates.overview(console.chrome(gateway.name(), gateway.team()),
                    gateway, in.raw("description"), "", FormErrors.of(e.errors()), publicUrl.base())).build();
        }
        return Console.redirect("/gateways/" + gw, "Description saved.");
    }

    /** Deletes the gateway once the name is typed again: the API's DELETE, behind a deliberate step. */
    @POST
    @Path("delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(String gw, MultivaluedMap<String, String> values) {
        FormInput in = new FormInput(values);
        GatewayView gateway = gateways.get(gw);
        if (!gw.equals(in.get("confirm"))) {
            FormErrors errors = FormErrors.NONE.plus("confirm", "type the gateway name, " + gw + ", to confirm");
            return Response.status(422).entity(Templates.overview(console.chrome(gateway.name(), gateway.team()),
                    gateway, gateway.description(), in.raw("confirm"), errors, publicUrl.base())).build();
        }
        gateways.delete(gw);
        return Console.redirect("/teams/" + gateway.team() + "/gateways", "Gateway " + gw + " deleted.");
    }
}
