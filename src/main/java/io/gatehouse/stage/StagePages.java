package io.gatehouse.stage;

import io.gatehouse.common.ApiException;
import io.gatehouse.common.FieldError;
import io.gatehouse.common.ValidationException;
import io.gatehouse.common.Violations;
import io.gatehouse.console.Chrome;
import io.gatehouse.console.Console;
import io.gatehouse.console.FormErrors;
import io.gatehouse.console.FormInput;
import io.gatehouse.gateway.GatewayService;
import io.gatehouse.gateway.GatewayService.GatewayView;
import io.gatehouse.release.ReleaseService;
import io.gatehouse.release.ReleaseService.StageLive;
import io.gatehouse.stage.StageService.StageBody;
import io.gatehouse.stage.StageService.StageView;
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
import java.util.Map;

/** A gateway's stages: the list, and the backend config editor for a new or an existing stage. */
@Path("/gateways/{gw}/stages")
@Produces(MediaType.TEXT_HTML)
public class StagePages {
    static final String PREFIX = "backend";

    /** The stage editor: {@code name} is typed only for a new stage. */
    public record StageForm(String name, boolean isNew, String description, boolean requiresApproval,
                            BackendEditor editor) {
    }

    @CheckedTemplate(basePath = "stages")
    static class Templates {
        static native TemplateInstance list(Chrome chrome, GatewayView gateway, List<StageView> stages,
                                            Map<String, StageLive> live);

        static native TemplateInstance edit(Chrome chrome, GatewayView gateway, StageForm form, FormErrors errors,
                                            StageLive live, FormErrors deleteErrors);
    }

    private final StageService stages;
    private final GatewayService gateways;
    private final Console console;
    private final ReleaseService releases;

    public StagePages(StageService stages, GatewayService gateways, Console console, ReleaseService releases) {
        this.stages = stages;
        this.gateways = gateways;
        this.console = console;
        this.releases = releases;
    }

    @GET
    public TemplateInstance list(String gw) {
        GatewayView gateway = gateways.get(gw);
        return Templates.list(console.chrome("Stages · " + gw, gateway.team()), gateway, stages.list(gw),
                releases.live(gw));
    }

    @GET
    @Path("_new")
    public TemplateInstance create(String gw) {
        GatewayView gateway = gateways.get(gw);
        Chrome chrome = console.chrome("New stage · " + gw, gateway.team());
        StageForm form = new StageForm("", true, "", false, new BackendEditor(PREFIX, BackendForm.blank(), FormErrors.NONE,
                !chrome.canEdit()));
        return Templates.edit(chrome, gateway, form, FormErrors.NONE, null, FormErrors.NONE);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response created(String gw, MultivaluedMap<String, String> values) {
        FormInput in = new FormInput(values);
        return save(gw, in.get("name"), true, in);
    }

    @GET
    @Path("{stage}")
    public TemplateInstance edit(String gw, String stage) {
        GatewayView gateway = gateways.get(gw);
        StageView view = stages.get(gw, stage);
        Chrome chrome = console.chrome(stage + " · " + gw, gateway.team());
        StageForm form = new StageForm(view.name(), false, view.description(), view.requiresApproval(),
                new BackendEditor(PREFIX, BackendForm.of(view.backend()), FormErrors.NONE, !chrome.canEdit()));
        return Templates.edit(chrome, gateway, form, FormErrors.NONE, releases.live(gw).get(stage), FormErrors.NONE);
    }

    @POST
    @Path("{stage}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response saved(String gw, String stage, MultivaluedMap<String, String> values) {
        stages.get(gw, stage);
        return save(gw, stage, false, new FormInput(values));
    }

    @POST
    @Path("{stage}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(String gw, String stage, MultivaluedMap<String, String> values) {
        StageLive live = releases.live(gw).get(stage);
        if (live == null) {
            stages.get(gw, stage); // the service's 404
        }
        if (live.release() != null && !stage.equals(new FormInput(values).get("confirm"))) {
            // As deleting a gateway: a stage that serves traffic goes only after its name is typed again.
            GatewayView gateway = gateways.get(gw);
            StageView view = stages.get(gw, stage);
            Chrome chrome = console.chrome(stage + " · " + gw, gateway.team());
            StageForm form = new StageForm(view.name(), false, view.description(), view.requiresApproval(),
                    new BackendEditor(PREFIX, BackendForm.of(view.backend()), FormErrors.NONE, !chrome.canEdit()));
            return Response.status(422).entity(Templates.edit(chrome, gateway, form, FormErrors.NONE, live,
                    FormErrors.NONE.plus("confirm", "type the stage name, " + stage + ", to confirm"))).build();
        }
        try {
            stages.delete(gw, stage);
            return Console.redirect("/gateways/" + gw + "/stages", "Stage " + stage + " deleted.");
        } catch (ApiException e) {
            if (e.status() != 409) {
                throw e;
            }
            return Console.redirect("/gateways/" + gw + "/stages/" + stage, "error", e.getMessage());
        }
    }

    /**
     * Saves through {@link StageService#put}, the API's own path. Inputs that are not even numbers never
     * reach it: then {@link BackendConfig#validate} runs here too, so every broken rule shows at once.
     */
    private Response save(String gw, String name, boolean isNew, FormInput in) {
        GatewayView gateway = gateways.get(gw);
        BackendForm backend = BackendForm.read(in, PREFIX);
        Violations v = new Violations();
        BackendConfig config = backend.toConfig(PREFIX, v);
        String description = in.raw("description");
        // The checkbox is only offered where the user may change it (see stages/edit.html); absent means keep.
        Boolean requiresApproval = in.checked("requires_approval.offered") ? in.checked("requires_approval") : null;
        if (isNew && name == null) {
            v.add("name", "is required");
        } else if (isNew && gateway.stages().contains(name)) {
            v.add("name", "this gateway already has a stage named " + name);
        }
        List<FieldError> errors;
        if (v.isEmpty()) {
            try {
                stages.put(gw, name, new StageBody(description, config, requiresApproval));
                return Console.redirect("/gateways/" + gw + "/stages/" + name,
                        "Stage " + name + (isNew ? " created." : " saved."));
            } catch (ValidationException e) {
                errors = e.errors();
            }
        } else {
            config.validate(PREFIX, v);
            errors = v.errors();
        }
        FormErrors formErrors = FormErrors.of(backend.formFields(PREFIX, errors));
        Chrome chrome = console.chrome((isNew ? "New stage" : name) + " · " + gw, gateway.team());
        StageForm form = new StageForm(isNew ? in.raw("name") : name, isNew, description,
                requiresApproval != null ? requiresApproval : !isNew && stages.get(gw, name).requiresApproval(),
                new BackendEditor(PREFIX, backend, formErrors, !chrome.canEdit()));
        return Response.status(422).entity(Templates.edit(chrome, gateway, form, formErrors,
                isNew ? null : releases.live(gw).get(name), FormErrors.NONE)).build();
    }
}
