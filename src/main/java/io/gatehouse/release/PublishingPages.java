package io.gatehouse.release;

import io.gatehouse.common.ApiException;
import io.gatehouse.console.Chrome;
import io.gatehouse.console.Console;
import io.gatehouse.console.FormInput;
import io.gatehouse.gateway.GatewayService;
import io.gatehouse.gateway.GatewayService.GatewayView;
import io.gatehouse.proxy.CompileProblem;
import io.gatehouse.stage.StageService;
import io.gatehouse.common.JsonDiff;
import io.gatehouse.common.JsonDiff.FieldChange;
import io.gatehouse.common.JsonDiff.ResourcesDiff;
import io.gatehouse.release.ApprovalService.DecisionBody;
import io.gatehouse.release.ApprovalService.RequestDetail;
import io.gatehouse.release.ApprovalService.RequestView;
import io.gatehouse.release.ReleaseService.Outcome;
import io.gatehouse.release.ReleaseService.PublishBody;
import io.gatehouse.release.ReleaseService.ReleaseView;
import io.gatehouse.release.ReleaseService.RollbackBody;
import io.gatehouse.release.ReleaseService.StageStatus;
import io.gatehouse.release.VersionService.VersionBody;
import io.gatehouse.release.VersionService.VersionView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.ArrayList;
import java.util.List;

/**
 * Publishing in the console: what is unpublished per stage, versions, publish with a comment, release
 * history with rollback, and a side-by-side diff of any two versions (or the draft). Every action goes
 * through {@link VersionService} and {@link ReleaseService}, the publishing API's own services.
 */
@Path("/gateways/{gw}/publishing")
@Produces(MediaType.TEXT_HTML)
public class PublishingPages {

    /**
     * One stage: what is unpublished, its history, on a stage that requires approval the open request, and
     * what the proxy's compiler would refuse if the newest version were published to it now.
     */
    @TemplateData
    public record StagePanel(StageStatus status, List<ReleaseView> history, long releases, boolean requiresApproval,
                             RequestDetail pending, Integer newestVersion, List<CompileProblem> problems) {
        public ReleaseView live() {
            return history.isEmpty() ? null : history.get(0);
        }
    }

    @TemplateData
    public record Changed(String resource, List<FieldChange> fields) {
    }

    @CheckedTemplate(basePath = "publishing")
    static class Templates {
        static native TemplateInstance index(Chrome chrome, GatewayView gateway, List<VersionView> versions,
                                             io.gatehouse.console.ListView paging, List<VersionView> choices,
                                             List<StagePanel> stages, List<String> sides);

        static native TemplateInstance releases(Chrome chrome, GatewayView gateway, String stage,
                                                List<ReleaseView> releases, io.gatehouse.console.ListView paging);

        static native TemplateInstance diff(Chrome chrome, GatewayView gateway, String a, String b,
                                            ResourcesDiff diff, List<Changed> changed, List<String> sides);

        static native TemplateInstance releaseDiff(Chrome chrome, GatewayView gateway, ReleaseDiff diff,
                                                   List<Changed> changed, List<Changed> effective, List<String> sides);
    }

    private final VersionService versions;
    private final ReleaseService releases;
    private final ApprovalService approvals;
    private final StageService stageService;
    private final GatewayService gateways;
    private final Console console;
    private final GatewayApiExportApi kubernetes;

    public PublishingPages(VersionService versions, ReleaseService releases, ApprovalService approvals,
                           StageService stageService, GatewayService gateways, Console console,
                           GatewayApiExportApi kubernetes) {
        this.versions = versions;
        this.releases = releases;
        this.approvals = approvals;
        this.stageService = stageService;
        this.gateways = gateways;
        this.console = console;
        this.kubernetes = kubernetes;
    }

    /** The stage's latest release as Kubernetes Gateway API YAML, the same as the admin API's export. */
    @GET
    @Path("stages/{stage}/gateway-api.yaml")
    @Produces(GatewayApiExportApi.YAML)
    public Response gatewayApi(String gw, String stage) {
        return Response.ok(kubernetes.yaml(gw, stage, null, null, null), GatewayApiExportApi.YAML)
                .header("Content-Disposition", "attachment; filename=\"" + gw + "-" + stage + "-gateway-api.yaml\"")
                .build();
    }

    /** Versions listed per page, and how many of them the publish and compare menus offer (newest first). */
    static final int VERSIONS_PAGE = 25;
    static final int CHOICES = 100;
    /** Releases per stage on the publishing page; the stage's releases page has them all. */
    static final int HISTORY = 10;
    static final int RELEASES_PAGE = 50;

    @GET
    public TemplateInstance index(String gw, @RestQuery String q, @RestQuery String after) {
        GatewayView gateway = gateways.get(gw);
        var page = versions.page(gw, q, after, VERSIONS_PAGE);
        List<VersionView> choices = versions.page(gw, null, null, CHOICES).items();
        Integer newest = choices.isEmpty() ? null : choices.get(0).number();
        List<StagePanel> stages = releases.unpublished(gw).stream()
                .map(s -> {
                    var history = releases.historyPage(gw, s.stage(), null, null, HISTORY);
                    return new StagePanel(s, history.items(), history.total(),
                            stageService.get(gw, s.stage()).requiresApproval(), approvals.pending(gw, s.stage()), newest,
                            newest == null ? List.of() : releases.problems(gw, s.stage(), newest));
                })
                .toList();
        return Templates.index(console.chrome("Publishing · " + gw, gateway.team()), gateway, page.items(),
                io.gatehouse.console.ListView.of("/gateways/" + gw + "/publishing", "version", q, after, page), choices,
                stages, sides(choices));
    }

    /** Every release of a stage, newest first, paged, with a search over comments and authors. */
    @GET
    @Path("stages/{stage}/releases")
    public TemplateInstance releases(String gw, String stage, @RestQuery String q, @RestQuery String after) {
        GatewayView gateway = gateways.get(gw);
        var page = releases.historyPage(gw, stage, q, after, RELEASES_PAGE);
        return Templates.releases(console.chrome("Releases · " + stage + " · " + gw, gateway.team()), gateway, stage,
                page.items(), io.gatehouse.console.ListView.of("/gateways/" + gw + "/publishing/stages/" + stage
                        + "/releases", "release", q, after, page));
    }

    @GET
    @Path("diff")
    public TemplateInstance diff(String gw, @RestQuery String a, @RestQuery String b, @RestQuery String stage) {
        GatewayView gateway = gateways.get(gw);
        if (stage != null && !stage.isBlank()) {
            return releaseDiff(gateway, stage, a, b);
        }
        String from = a == null || a.isBlank() ? VersionService.DRAFT : a;
        String to = b == null || b.isBlank() ? VersionService.DRAFT : b;
        ResourcesDiff diff = versions.diff(gw, from, to).resources();
        List<Changed> changed = new ArrayList<>();
        diff.changed().forEach((name, fields) -> changed.add(new Changed(name, fields)));
        return Templates.diff(console.chrome("Diff · " + gw, gateway.team()), gateway, from, to, diff, changed,
                sides(versions.page(gw, null, null, CHOICES).items()));
    }

    /** Two releases of a stage, or a release and the draft (default: the live release against the draft). */
    private TemplateInstance releaseDiff(GatewayView gateway, String stage, String a, String b) {
        String gw = gateway.name();
        List<ReleaseView> history = releases.history(gw, stage);
        String live = history.isEmpty() ? VersionService.DRAFT : String.valueOf(history.get(0).number());
        String from = a == null || a.isBlank() ? live : a;
        String to = b == null || b.isBlank() ? VersionService.DRAFT : b;
        ReleaseDiff diff = releases.diff(gw, stage, from, to);
        List<Changed> changed = new ArrayList<>();
        diff.resources().changed().forEach((name, fields) -> changed.add(new Changed(name, fields)));
        List<Changed> effective = new ArrayList<>();
        diff.effective().forEach((name, fields) -> effective.add(new Changed(name, fields)));
        List<String> sides = new ArrayList<>();
        sides.add(VersionService.DRAFT);
        history.forEach(r -> sides.add(String.valueOf(r.number())));
        return Templates.releaseDiff(console.chrome("Diff · " + stage + " · " + gw, gateway.team()), gateway, diff,
                changed, effective, sides);
    }

    @POST
    @Path("versions")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createVersion(String gw, MultivaluedMap<String, String> values) {
        FormInput in = new FormInput(values);
        return act(gw, () -> "Version " + versions.create(gw, new VersionBody(in.get("title"), in.get("comment")))
                .number() + " created.");
    }

    @POST
    @Path("stages/{stage}/publish")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response publish(String gw, String stage, MultivaluedMap<String, String> values) {
        FormInput in = new FormInput(values);
        return act(gw, () -> {
            Outcome o = releases.publish(gw, stage, new PublishBody(number(in.get("version")), in.get("comment")));
            return o.release() != null
                    ? "Published version " + o.release().version() + " to " + stage + " as release " + o.release().number() + "."
                    : requested(o.request());
        });
    }

    @POST
    @Path("stages/{stage}/rollback")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response rollback(String gw, String stage, MultivaluedMap<String, String> values) {
        FormInput in = new FormInput(values);
        return act(gw, () -> {
            Outcome o = releases.rollback(gw, stage, new RollbackBody(number(in.get("release")), in.get("comment")));
            return o.release() != null
                    ? "Rolled " + stage + " back to release " + o.release().rollbackOf() + " (new release "
                    + o.release().number() + ")."
                    : requested(o.request());
        });
    }

    private static String requested(RequestView r) {
        return "Stage " + r.stage() + " requires approval: request " + r.number() + " (" + r.kind() + " of version "
                + r.version() + ") waits for another maintainer or owner.";
    }

    @POST
    @Path("stages/{stage}/requests/{number}/approve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response approve(String gw, String stage, int number, MultivaluedMap<String, String> values) {
        return act(gw, () -> "Approved request " + number + ": " + stage + " now serves release "
                + approvals.approve(gw, stage, number, decision(values)).number() + ".");
    }

    @POST
    @Path("stages/{stage}/requests/{number}/reject")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reject(String gw, String stage, int number, MultivaluedMap<String, String> values) {
        return act(gw, () -> "Rejected request " + approvals.reject(gw, stage, number, decision(values)).number() + ".");
    }

    @POST
    @Path("stages/{stage}/requests/{number}/withdraw")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response withdraw(String gw, String stage, int number, MultivaluedMap<String, String> values) {
        return act(gw, () -> "Withdrew request " + approvals.withdraw(gw, stage, number, decision(values)).number() + ".");
    }

    private static DecisionBody decision(MultivaluedMap<String, String> values) {
        return new DecisionBody(new FormInput(values).get("comment"));
    }

    /** Runs one publishing action; its outcome, or what was wrong (422 or 409), comes back as a flash message. */
    private Response act(String gw, java.util.function.Supplier<String> action) {
        String target = "/gateways/" + gw + "/publishing";
        try {
            return Console.redirect(target, action.get());
        } catch (ApiException e) {
            if (e.status() != 422 && e.status() != 409) {
                throw e;
            }
            return Console.redirect(target, "error", e.getMessage());
        }
    }

    private static Integer number(String s) {
        try {
            return s == null ? null : Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static List<String> sides(List<VersionView> list) {
        List<String> sides = new ArrayList<>();
        sides.add(VersionService.DRAFT);
        list.forEach(v -> sides.add(String.valueOf(v.number())));
        return sides;
    }
}
