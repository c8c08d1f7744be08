package io.gatehouse.resource;

import io.gatehouse.common.Keyset;
import io.gatehouse.common.ApiException;
import io.gatehouse.common.FieldError;
import io.gatehouse.common.ValidationException;
import io.gatehouse.common.Violations;
import io.gatehouse.console.Chrome;
import io.gatehouse.console.Console;
import io.gatehouse.console.FormErrors;
import io.gatehouse.console.FormInput;
import io.gatehouse.console.PublicUrl;
import io.gatehouse.release.ReleaseService;
import io.gatehouse.gateway.GatewayService;
import io.gatehouse.gateway.GatewayService.GatewayView;
import io.gatehouse.resource.ResourceForm.StageOverride;
import io.gatehouse.resource.ResourceService.ResourceView;
import io.gatehouse.stage.StageService;
import io.gatehouse.stage.StageService.StageView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import org.jboss.resteasy.reactive.RestQuery;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** A gateway's resources: the table with a badge per stage, and the create/edit form with per-stage overrides. */
@Path("/gateways/{gw}/resources")
@Produces(MediaType.TEXT_HTML)
public class ResourcePages {

    /** One row of the table; {@code overridden} lists, per stage of the gateway, whether it overrides. */
    @TemplateData
    public record Row(ResourceView resource, List<Badge> badges) {
    }

    @TemplateData
    public record Badge(String stage, boolean override) {
    }

    /**
     * Where a resource is reachable on one stage and whether that is what its draft says: {@code state} is
     * {@code live} (the stage's release serves this resource as drafted), {@code differs} (it serves an
     * older form of it, or it is deleted in the draft), {@code pending} (the release lacks it) or
     * {@code unpublished} (the stage has no release).
     */
    @TemplateData
    public record StageUrl(String stage, String url, String state, Integer release) {
    }

    @CheckedTemplate(basePath = "resources")
    static class Templates {
        static native TemplateInstance list(Chrome chrome, GatewayView gateway, List<Row> rows, io.gatehouse.console.ListView paging);

        static native TemplateInstance edit(Chrome chrome, GatewayView gateway, ResourceForm form,
                                            List<StageOverride> overrides, FormErrors errors, List<StageUrl> urls);
    }

    private final ResourceService resources;
    private final StageService stages;
    private final GatewayService gateways;
    private final Console console;
    private final ReleaseService releases;
    private final PublicUrl publicUrl;

    public ResourcePages(ResourceService resources, StageService stages, GatewayService gateways, Console console,
                         ReleaseService releases, PublicUrl publicUrl) {
        this.releases = releases;
        this.publicUrl = publicUrl;
        this.resources = resources;
        this.stages = stages;
        this.gateways = gateways;
        this.console = console;
    }

    /** A page of resources (100, in name order) with a search over names and paths; see ResourceService#page. */
    @GET
    public TemplateInstance list(String gw, @RestQuery String q, @RestQuery String after) {
        GatewayView gateway = gateways.get(gw);
        Keyset.Page<ResourceView> page = resources.page(gw, q, after, null);
        List<Row> rows = page.items().stream().map(r -> new Row(r, gateway.stages().stream()
                .map(s -> new Badge(s, r.overrides() != null && r.overrides().containsKey(s))).toList())).toList();
        return Templates.list(console.chrome("Resources · " + gw, gateway.team()), gateway, rows,
                io.gatehouse.console.ListView.of("/gateways/" + gw + "/resources", "resource", q, after, page));
    }

    @GET
    @Path("_new")
    public TemplateInstance create(String gw) {
        GatewayView gateway = gateways.get(gw);
        Chrome chrome = console.chrome("New resource · " + gw, gateway.team());
        List<StageView> stageViews = stages.list(gw);
        ResourceForm form = ResourceForm.blank(stageViews);
        return Templates.edit(chrome, gateway, form, form.overrides(FormErrors.NONE, !chrome.canEdit(), stageViews), FormErrors.NONE,
                List.of());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response created(String gw, MultivaluedMap<String, String> values) {
        FormInput in = new FormInput(values);
        return save(gw, in.get("name"), true, in);
    }

    @GET
    @Path("{resource}")
    public TemplateInstance edit(String gw, String resource) {
        GatewayView gateway = gateways.get(gw);
        Chrome chrome = console.chrome(resource + " · " + gw, gateway.team());
        ResourceView view = resources.get(gw, resource);
        List<StageView> stageViews = stages.list(gw);
        ResourceForm form = ResourceForm.of(view, stageViews);
        return Templates.edit(chrome, gateway, form, form.overrides(FormErrors.NONE, !chrome.canEdit(), stageViews), FormErrors.NONE,
                urls(gw, view));
    }

    /** Per stage: the concrete public URL of the resource and whether the stage's release serves it as drafted. */
    private List<StageUrl> urls(String gw, ResourceView r) {
        return releases.live(gw).values().stream().map(l -> new StageUrl(l.stage(),
                publicUrl.of(gw, l.stage(), r.path()),
                l.release() == null ? "unpublished" : !l.serves(r.name()) ? "pending"
                        : l.resourceDiffers(r.name()) ? "differs" : "live",
                l.release() == null ? null : l.release().number())).toList();
    }

    @POST
    @Path("{resource}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response saved(String gw, String resource, MultivaluedMap<String, String> values) {
        resources.get(gw, resource);
        return save(gw, resource, false, new FormInput(values));
    }

    @POST
    @Path("{resource}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(String gw, String resource) {
        resources.delete(gw, resource);
        return Console.redirect("/gateways/" + gw + "/resources", "Resource " + resource + " deleted.");
    }

    /** Saves through {@link ResourceService#put}; a 409 (same method and path shape) is shown on the form. */
    private Response save(String gw, String name, boolean isNew, FormInput in) {
        GatewayView gateway = gateways.get(gw);
        List<StageView> stageViews = stages.list(gw);
        ResourceForm form = ResourceForm.read(in, name, isNew, stageViews);
        if (in.get("copy") != null) {
            // Not a save: the form comes back with the chosen stage's config copied into its override.
            Chrome chrome = console.chrome((isNew ? "New resource" : name) + " · " + gw, gateway.team());
            return Response.ok(Templates.edit(chrome, gateway, form,
                    form.overrides(FormErrors.NONE, !chrome.canEdit(), stageViews), FormErrors.NONE,
                    isNew ? List.of() : urls(gw, resources.get(gw, name)))).build();
        }
        Violations v = new Violations();
        ResourceSpec spec = form.toSpec(v);
        if (isNew && name == null) {
            v.add("name", "is required");
        } else if (isNew && resources.exists(gw, name)) {
            v.add("name", "this gateway already has a resource named " + name);
        }
        FormErrors errors;
        List<FieldError> fieldErrors = null;
        if (v.isEmpty()) {
            try {
                resources.put(gw, name, spec);
                return Console.redirect("/gateways/" + gw + "/resources",
                        "Resource " + name + (isNew ? " created." : " saved."));
            } catch (ValidationException e) {
                fieldErrors = e.errors();
            } catch (ApiException e) {
                if (e.status() != 409) {
                    throw e;
                }
                fieldErrors = List.of(new FieldError("path", e.getMessage()));
            }
        } else {
            spec.validate(gateway.stages().stream().collect(java.util.stream.Collectors.toSet()), v);
            fieldErrors = v.errors();
        }
        errors = form.errors(fieldErrors);
        Chrome chrome = console.chrome((isNew ? "New resource" : name) + " · " + gw, gateway.team());
        return Response.status(422).entity(Templates.edit(chrome, gateway, form,
                form.overrides(errors, !chrome.canEdit(), stageViews), errors,
                isNew ? List.of() : urls(gw, resources.get(gw, name)))).build();
    }
}
