package io.gatehouse.release;

import io.gatehouse.common.Keyset;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.auth.Access;
import io.gatehouse.common.ApiException;
import io.gatehouse.common.JsonColumns;
import io.gatehouse.common.ValidationException;
import io.gatehouse.common.Violations;
import io.gatehouse.gateway.Gateway;
import io.gatehouse.proxy.CompileProblem;
import io.gatehouse.common.JsonDiff;
import io.gatehouse.common.JsonDiff.FieldChange;
import io.gatehouse.common.JsonDiff.ResourcesDiff;
import io.gatehouse.resource.ResourceService;
import io.gatehouse.stage.Stage;
import io.gatehouse.team.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Publishing: a release freezes a version's resources with the stage's backend config of the moment,
 * and a NOTIFY in the same transaction tells every instance to apply it (see ReleaseSync).
 */
@ApplicationScoped
public class ReleaseService {
    public static final String CHANNEL = "gatehouse_release";

    public record PublishBody(Integer version, String comment) {
    }

    public record RollbackBody(Integer release, String comment) {
    }

    /**
     * A release; {@code approvedBy} is the second member who approved it, null when published directly;
     * {@code live} where it is served (left out of the audit log, which records the release, not a moment's count).
     */
    public record ReleaseView(int number, String stage, int version, String versionTitle, String comment,
                              Integer rollbackOf, String createdBy, OffsetDateTime createdAt, String approvedBy,
                              @JsonInclude(JsonInclude.Include.NON_NULL) LiveStatus live) {
        ReleaseView withLive(LiveStatus status) {
            return new ReleaseView(number, stage, version, versionTitle, comment, rollbackOf, createdBy, createdAt,
                    approvedBy, status);
        }
    }

    /** What a publish or rollback did: a release, or on a stage that requires approval, a release request. */
    public record Outcome(ReleaseView release, ApprovalService.RequestView request) {
    }

    public record ReleaseDetail(ReleaseView release, JsonNode backend, JsonNode resources) {
    }

    /** What a stage's drafts would change if published now, against its latest release. */
    public record StageStatus(String stage, Integer liveRelease, Integer liveVersion, boolean unpublished,
                              List<FieldChange> backend, ResourcesDiff resources) {
    }

    /**
     * What a stage serves and how its draft differs: {@code release} is null before the first publish.
     * The console shows it on the stages list, the stage page and each resource page.
     */
    @io.quarkus.qute.TemplateData
    public record StageLive(String stage, ReleaseView release, StageStatus status) {
        /** A release is live and publishing now would change something. */
        public boolean draftDiffers() {
            return release != null && status.unpublished();
        }

        /** Whether resource {@code name}'s draft is not what this stage serves (new, changed or removed). */
        public boolean resourceDiffers(String name) {
            return status.resources().added().contains(name) || status.resources().removed().contains(name)
                    || status.resources().changed().containsKey(name);
        }

        /** Whether the stage's release holds resource {@code name} (removed ones included, as they are live). */
        public boolean serves(String name) {
            return release != null && !status.resources().added().contains(name);
        }
    }

    private final Access access;
    private final JsonColumns json;
    private final ResourceService resources;
    private final ReleaseWriter writer;
    private final ApprovalService approvals;
    private final CompileGate gate;
    private final DraftDiffs draftDiffs;

    public ReleaseService(Access access, JsonColumns json, ResourceService resources, ReleaseWriter writer,
                          ApprovalService approvals, CompileGate gate, DraftDiffs draftDiffs) {
        this.access = access;
        this.json = json;
        this.resources = resources;
        this.writer = writer;
        this.approvals = approvals;
        this.gate = gate;
        this.draftDiffs = draftDiffs;
    }

    @Transactional
    public Outcome publish(String gw, String stageName, PublishBody body) {
        String actor = access.user().username;
        Gateway gateway = access.gatewayForUpdate(gw, Role.MAINTAINER);
        Stage stage = stage(gateway, stageName);
        Violations v = new Violations();
        if (body == null || body.version() == null) {
            v.add("version", "is required: the number of the version to publish");
        }
        comment(body == null ? null : body.comment(), v);
        v.throwIfAny();
        GatewayVersion version = GatewayVersion.find(gateway, body.version()).orElseThrow(() ->
                ValidationException.of("version", "gateway '" + gw + "' has no version " + body.version()));
        Release latest = Release.latest(stage).orElse(null);
        if (latest != null && latest.version.id.equals(version.id) && sameJson(latest.backend, stage.backend)) {
            throw ApiException.conflict("nothing to publish: stage '" + stageName + "' already serves version "
                    + version.number + " with this backend config (release " + latest.number + ")");
        }
        return release(actor, gateway, stage, latest, "publish",
                new ReleaseWriter.Draft(version, stage.backend, version.resources, body.comment(), null));
    }

    /**
     * A committed release's answer with its live status once the live instances applied it, or pending after
     * a bounded wait (Receipts#settle). Not transactional: call it after publish, rollback or approve returned.
     */
    public ReleaseView settled(String gw, ReleaseView release) {
        return writer.settled(gw, release);
    }

    @Transactional
    public Outcome rollback(String gw, String stageName, RollbackBody body) {
        String actor = access.user().username;
        Gateway gateway = access.gatewayForUpdate(gw, Role.MAINTAINER);
        Stage stage = stage(gateway, stageName);
        Violations v = new Violations();
        if (body == null || body.release() == null) {
            v.add("release", "is required: the number of the release to roll back to");
        }
        comment(body == null ? null : body.comment(), v);
        v.throwIfAny();
        Release target = Release.find(stage, body.release()).orElseThrow(() ->
                ValidationException.of("release", "stage '" + stageName + "' has no release " + body.release()));
        Release latest = Release.latest(stage).orElseThrow();
        if (sameJson(latest.backend, target.backend) && sameJson(latest.resources, target.resources)) {
            throw ApiException.conflict("nothing to roll back: release " + latest.number + " already serves what release "
                    + target.number + " did");
        }
        String comment = body.comment() == null || body.comment().isBlank()
                ? "Rollback to release " + target.number : body.comment();
        return release(actor, gateway, stage, latest, "rollback",
                new ReleaseWriter.Draft(target.version, target.backend, target.resources, comment, target));
    }

    /**
     * Releases the draft now, or, when the stage requires approval, opens a request for a second member;
     * either way only once the proxy's compiler takes all of it (a request that could never be approved is
     * refused up front).
     */
    private Outcome release(String actor, Gateway gateway, Stage stage, Release latest, String kind,
                            ReleaseWriter.Draft draft) {
        gate.check(gateway.name, stage.name, draft.backend(), draft.resources());
        if (stage.requiresApproval) {
            return new Outcome(null, approvals.open(actor, gateway, stage, latest, kind, draft));
        }
        Release release = writer.insert(actor, null, gateway, stage, latest, draft, "release." + kind);
        return new Outcome(writer.view(release), null);
    }

    /**
     * What the proxy's compiler would refuse if {@code version} were published to the stage now (with the
     * stage's current backend config): the console lists these before the publish button.
     */
    @Transactional
    public List<CompileProblem> problems(String gw, String stageName, int version) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        Stage stage = stage(gateway, stageName);
        return GatewayVersion.find(gateway, version)
                .map(v -> gate.problemsOfVersion(v.id, gateway.name, stage.name, stage.backend, () -> v.resources))
                .orElse(List.of());
    }

    @Transactional
    public List<ReleaseView> history(String gw, String stageName) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        return Release.history(stage(gateway, stageName)).stream().map(this::view).toList();
    }

    /** A page of the stage's releases, newest first, those whose comment or author contains {@code q}. */
    @Transactional
    public Keyset.Page<ReleaseView> historyPage(String gw, String stageName, String q, String after,
                                                                    int size) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        Keyset.check(q, size);
        return Keyset.page(new Keyset.Query<>(Release.class, "stage = :stage",
                        java.util.Map.of("stage", stage(gateway, stageName)), "number", true, List.of("comment", "createdBy")),
                q, after, size, r -> r.number, io.gatehouse.common.Keyset::intKey).map(this::view);
    }

    @Transactional
    public ReleaseDetail detail(String gw, String stageName, int number) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        Release r = Release.find(stage(gateway, stageName), number)
                .orElseThrow(() -> ApiException.notFound("release", String.valueOf(number)));
        return new ReleaseDetail(view(r), json.read(r.backend, JsonNode.class), json.read(r.resources, JsonNode.class));
    }

    /**
     * For every stage: whether its draft backend config or the draft resources differ from what it serves. The
     * resources' side is remembered per (release, draft revision) by {@link DraftDiffs}; the backend config is
     * one small object, compared on every call.
     */
    @Transactional
    public List<StageStatus> unpublished(String gw) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        List<Stage> stages = Stage.listFor(gateway);
        List<DraftDiffs.Latest> lives = stages.stream().map(DraftDiffs::latest).toList();
        List<ResourcesDiff> diffs = draftDiffs.of(gateway, stages, lives);
        List<StageStatus> out = new java.util.ArrayList<>(stages.size());
        for (int i = 0; i < stages.size(); i++) {
            Stage stage = stages.get(i);
            DraftDiffs.Latest live = lives.get(i);
            ResourcesDiff diff = diffs.get(i);
            List<FieldChange> backend = JsonDiff.fields(json.read(live == null ? "{}" : live.backend(), JsonNode.class),
                    json.read(stage.backend, JsonNode.class));
            out.add(new StageStatus(stage.name, live == null ? null : live.number(),
                    live == null ? null : live.version(), live == null || !backend.isEmpty() || !diff.isEmpty(),
                    backend, diff));
        }
        return out;
    }

    /** Per stage of the gateway, in stage order: the release it serves and what its draft would change. */
    @Transactional
    public java.util.Map<String, StageLive> live(String gw) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        java.util.Map<String, StageLive> out = new java.util.LinkedHashMap<>();
        for (StageStatus s : unpublished(gw)) {
            Release r = Release.latest(stage(gateway, s.stage())).orElse(null);
            out.put(s.stage(), new StageLive(s.stage(), r == null ? null : view(r), s));
        }
        return out;
    }

    /**
     * Differences between two releases of a stage, or a release and the draft ({@value VersionService#DRAFT}):
     * the stage config, the resources and each resource's effective config on this stage.
     */
    @Transactional
    public ReleaseDiff diff(String gw, String stageName, String a, String b) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        Stage stage = stage(gateway, stageName);
        return ReleaseDiff.of(stageName, a, side(gateway, stage, a), b, side(gateway, stage, b));
    }

    private ReleaseDiff.Side side(Gateway gateway, Stage stage, String which) {
        if (VersionService.DRAFT.equals(which)) {
            return new ReleaseDiff.Side(json.read(stage.backend, JsonNode.class),
                    json.read(json.write(resources.specs(gateway)), JsonNode.class));
        }
        Release r;
        try {
            r = Release.find(stage, Integer.parseInt(which)).orElse(null);
        } catch (NumberFormatException e) {
            r = null;
        }
        if (r == null) {
            throw ApiException.notFound("release", which);
        }
        return new ReleaseDiff.Side(json.read(r.backend, JsonNode.class), json.read(r.resources, JsonNode.class));
    }

    static Stage stage(Gateway gateway, String name) {
        return Stage.find(gateway, name).orElseThrow(() -> ApiException.notFound("stage", name));
    }

    static void comment(String comment, Violations v) {
        if (comment != null && comment.length() > 1000) {
            v.add("comment", "must be at most 1000 characters");
        }
    }

    private boolean sameJson(String a, String b) {
        return json.read(a, JsonNode.class).equals(json.read(b, JsonNode.class));
    }

    private ReleaseView view(Release r) {
        return writer.view(r);
    }
}
