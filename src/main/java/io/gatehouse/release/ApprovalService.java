package io.gatehouse.release;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.audit.AuditLog;
import io.gatehouse.auth.Access;
import io.gatehouse.common.ApiException;
import io.gatehouse.common.JsonColumns;
import io.gatehouse.common.Violations;
import io.gatehouse.gateway.Gateway;
import io.gatehouse.proxy.CompileProblem;
import io.gatehouse.common.JsonDiff;
import io.gatehouse.common.JsonDiff.FieldChange;
import io.gatehouse.common.JsonDiff.ResourcesDiff;
import io.gatehouse.release.ReleaseService.ReleaseView;
import io.gatehouse.stage.Stage;
import io.gatehouse.team.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Four eyes on stages that require approval: a publish or rollback there opens a release request that
 * freezes what would be released; another maintainer or owner approves it (the release is written then,
 * by the requester, approved by the approver) or rejects it; the requester may withdraw it. One request
 * is open per stage, and approval refuses a request whose stage has changed since it was made.
 */
@ApplicationScoped
public class ApprovalService {

    public record RequestView(int number, String stage, String kind, int version, String versionTitle,
                              Integer rollbackOf, Integer baseRelease, String comment, String requestedBy,
                              OffsetDateTime requestedAt, String status, String decidedBy, OffsetDateTime decidedAt,
                              String decisionComment, Integer release) {
    }

    /**
     * A request with what it would change against the release the stage served when it was made, and what
     * the proxy's compiler would refuse in it now (approval is refused while this is not empty).
     */
    public record RequestDetail(RequestView request, List<FieldChange> backend, ResourcesDiff resources,
                                List<CompileProblem> problems) {
    }

    public record DecisionBody(String comment) {
    }

    private final Access access;
    private final AuditLog audit;
    private final JsonColumns json;
    private final ReleaseWriter writer;
    private final CompileGate gate;

    public ApprovalService(Access access, AuditLog audit, JsonColumns json, ReleaseWriter writer, CompileGate gate) {
        this.access = access;
        this.audit = audit;
        this.json = json;
        this.writer = writer;
        this.gate = gate;
    }

    /** Called by ReleaseService inside its transaction, with the gateway row locked. */
    RequestView open(String actor, Gateway gateway, Stage stage, Release latest, String kind, ReleaseWriter.Draft draft) {
        ReleaseRequest.pending(stage).ifPresent(open -> {
            throw ApiException.conflict("stage '" + stage.name + "' already has release request " + open.number
                    + " by " + open.requestedBy + " waiting for approval; approve, reject or withdraw it first");
        });
        ReleaseRequest r = new ReleaseRequest();
        r.stage = stage;
        r.number = ReleaseRequest.nextNumber(stage);
        r.kind = kind;
        r.version = draft.version();
        r.backend = draft.backend();
        r.resources = draft.resources();
        r.rollbackOf = draft.rollbackOf();
        r.baseRelease = latest;
        r.comment = draft.comment() == null ? "" : draft.comment();
        r.requestedBy = actor;
        r.requestedAt = OffsetDateTime.now();
        r.status = ReleaseRequest.PENDING;
        r.decisionComment = "";
        r.persistAndFlush();
        RequestView view = view(r);
        audit.record(actor, gateway.team.slug, gateway.name, "release.request", target(gateway, r), null, view);
        return view;
    }

    @Transactional
    public List<RequestView> list(String gw, String stageName) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        return ReleaseRequest.history(ReleaseService.stage(gateway, stageName)).stream().map(this::view).toList();
    }

    /** The stage's pending request with its changes, or null: for the publishing page. */
    @Transactional
    public RequestDetail pending(String gw, String stageName) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        return ReleaseRequest.pending(ReleaseService.stage(gateway, stageName)).map(this::detail).orElse(null);
    }

    @Transactional
    public RequestDetail detail(String gw, String stageName, int number) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        return detail(request(ReleaseService.stage(gateway, stageName), number, false));
    }

    @Transactional
    public ReleaseView approve(String gw, String stageName, int number, DecisionBody body) {
        String actor = access.user().username;
        Gateway gateway = access.gatewayForUpdate(gw, Role.MAINTAINER);
        Stage stage = ReleaseService.stage(gateway, stageName);
        ReleaseRequest r = decidable(stage, number, actor, body);
        Release latest = Release.latest(stage).orElse(null);
        if (!sameRelease(latest, r.baseRelease)) {
            throw ApiException.conflict("stage '" + stageName + "' has changed since request " + number
                    + " was made (it served " + describe(r.baseRelease) + ", now " + describe(latest)
                    + "); reject it and request again");
        }
        // Compiled again, not trusted from when it was requested: the compiler may have changed since.
        gate.check(gateway.name, stage.name, r.backend, r.resources);
        RequestView before = view(r);
        Release release = writer.insert(r.requestedBy, actor, gateway, stage, latest,
                new ReleaseWriter.Draft(r.version, r.backend, r.resources, r.comment, r.rollbackOf),
                "release." + r.kind);
        r.release = release;
        decide(r, ReleaseRequest.APPROVED, actor, body);
        audit.record(actor, gateway.team.slug, gw, "release.approve", target(gateway, r), before, view(r));
        return writer.view(release);
    }

    @Transactional
    public RequestView reject(String gw, String stageName, int number, DecisionBody body) {
        String actor = access.user().username;
        Gateway gateway = access.gatewayForUpdate(gw, Role.MAINTAINER);
        ReleaseRequest r = decidable(ReleaseService.stage(gateway, stageName), number, actor, body);
        RequestView before = view(r);
        decide(r, ReleaseRequest.REJECTED, actor, body);
        RequestView after = view(r);
        audit.record(actor, gateway.team.slug, gw, "release.reject", target(gateway, r), before, after);
        return after;
    }

    /** The requester takes their own request back; a viewer role is enough (they may have been demoted since). */
    @Transactional
    public RequestView withdraw(String gw, String stageName, int number, DecisionBody body) {
        String actor = access.user().username;
        Gateway gateway = access.gatewayForUpdate(gw, Role.VIEWER);
        ReleaseRequest r = request(ReleaseService.stage(gateway, stageName), number, true);
        pendingOrConflict(r);
        if (!r.requestedBy.equals(actor)) {
            throw ApiException.forbidden("only " + r.requestedBy + ", who made request " + number
                    + ", can withdraw it; reject it instead");
        }
        validate(body);
        RequestView before = view(r);
        decide(r, ReleaseRequest.WITHDRAWN, actor, body);
        RequestView after = view(r);
        audit.record(actor, gateway.team.slug, gw, "release.withdraw", target(gateway, r), before, after);
        return after;
    }

    private ReleaseRequest decidable(Stage stage, int number, String actor, DecisionBody body) {
        ReleaseRequest r = request(stage, number, true);
        pendingOrConflict(r);
        if (r.requestedBy.equals(actor)) {
            throw ApiException.forbidden("request " + number + " needs a second member: you made it, so another "
                    + "maintainer or owner decides on it (you can withdraw it)");
        }
        validate(body);
        return r;
    }

    private static void validate(DecisionBody body) {
        Violations v = new Violations();
        ReleaseService.comment(body == null ? null : body.comment(), v);
        v.throwIfAny();
    }

    private static void pendingOrConflict(ReleaseRequest r) {
        if (!r.status.equals(ReleaseRequest.PENDING)) {
            throw ApiException.conflict("request " + r.number + " is already " + r.status);
        }
    }

    private static void decide(ReleaseRequest r, String status, String actor, DecisionBody body) {
        r.status = status;
        r.decidedBy = actor;
        r.decidedAt = OffsetDateTime.now();
        r.decisionComment = body == null || body.comment() == null ? "" : body.comment();
        r.persistAndFlush();
    }

    private static ReleaseRequest request(Stage stage, int number, boolean lock) {
        return (lock ? ReleaseRequest.findForUpdate(stage, number)
                : ReleaseRequest.<ReleaseRequest>find("stage = ?1 and number = ?2", stage, number).firstResultOptional())
                .orElseThrow(() -> ApiException.notFound("release request", String.valueOf(number)));
    }

    private RequestDetail detail(ReleaseRequest r) {
        JsonNode empty = json.read("{}", JsonNode.class);
        JsonNode baseBackend = r.baseRelease == null ? empty : json.read(r.baseRelease.backend, JsonNode.class);
        JsonNode baseResources = r.baseRelease == null ? empty : json.read(r.baseRelease.resources, JsonNode.class);
        return new RequestDetail(view(r), JsonDiff.fields(baseBackend, json.read(r.backend, JsonNode.class)),
                JsonDiff.resources(baseResources, json.read(r.resources, JsonNode.class)),
                gate.problems(r.stage.gateway.name, r.stage.name, r.backend, r.resources));
    }

    private static boolean sameRelease(Release a, Release b) {
        return a == null ? b == null : b != null && a.id.equals(b.id);
    }

    private static String describe(Release r) {
        return r == null ? "nothing" : "release " + r.number;
    }

    private static String target(Gateway gateway, ReleaseRequest r) {
        return "gateway/" + gateway.name + "/stages/" + r.stage.name + "/release-requests/" + r.number;
    }

    private RequestView view(ReleaseRequest r) {
        return new RequestView(r.number, r.stage.name, r.kind, r.version.number, r.version.title,
                r.rollbackOf == null ? null : r.rollbackOf.number, r.baseRelease == null ? null : r.baseRelease.number,
                r.comment, r.requestedBy, r.requestedAt, r.status, r.decidedBy, r.decidedAt, r.decisionComment,
                r.release == null ? null : r.release.number);
    }
}
