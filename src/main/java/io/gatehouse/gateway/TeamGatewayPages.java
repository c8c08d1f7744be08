package io.gatehouse.gateway;

import io.gatehouse.common.Keyset;
import io.gatehouse.common.ApiException;
import io.gatehouse.common.ValidationException;
import io.gatehouse.console.Chrome;
import io.gatehouse.console.Console;
import io.gatehouse.console.FormErrors;
import io.gatehouse.console.FormInput;
import io.gatehouse.gateway.GatewayService.GatewayBody;
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

import java.util.List;

/** A team's gateways: the list and the create form (maintainers and owners). */
@Path("/teams/{team}/gateways")
@Produces(MediaType.TEXT_HTML)
public class TeamGatewayPages {

    public record GatewayForm(String name, String description) {
    }

    @CheckedTemplate(basePath = "gateways")
    static class Templates {
        static native TemplateInstance list(Chrome chrome, List<GatewayView> gateways, io.gatehouse.console.ListView paging,
                                            GatewayForm form,
                                            FormErrors errors);
    }

    private final GatewayService gateways;
    private final Console console;

    public TeamGatewayPages(GatewayService gateways, Console console) {
        this.gateways = gateways;
        this.console = console;
    }

    @GET
    public TemplateInstance list(String team, @org.jboss.resteasy.reactive.RestQuery String q,
                                 @org.jboss.resteasy.reactive.RestQuery String after) {
        var page = gateways.page(team, q, after);
        return Templates.list(console.chrome("Gateways", team), page.items(), listView(team, q, after, page),
                new GatewayForm("", ""), FormErrors.NONE);
    }

    private static io.gatehouse.console.ListView listView(String team, String q, String after,
                                                          Keyset.Page<?> page) {
        return io.gatehouse.console.ListView.of("/teams/" + team + "/gateways", "gateway", q, after, page);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(String team, MultivaluedMap<String, String> values) {
        FormInput in = new FormInput(values);
        GatewayForm form = new GatewayForm(in.raw("name"), in.raw("description"));
        FormErrors errors;
        try {
            GatewayView created = gateways.create(team, new GatewayBody(in.get("name"), in.get("description")));
            return Console.redirect("/gateways/" + created.name(), "Gateway " + created.name() + " created.");
        } catch (ValidationException e) {
            errors = FormErrors.of(e.errors());
        } catch (ApiException e) {
            if (e.status() != 409) {
                throw e;
            }
            errors = FormErrors.NONE.plus("name", e.getMessage());
        }
        var page = gateways.page(team, null, null);
        return Response.status(422).entity(Templates.list(console.chrome("Gateways", team), page.items(),
                listView(team, null, null, page), form, errors)).build();
    }
}
