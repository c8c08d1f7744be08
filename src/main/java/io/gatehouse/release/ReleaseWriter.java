package io.gatehouse.release;

import io.gatehouse.audit.AuditLog;
import io.gatehouse.gateway.Gateway;
import io.gatehouse.release.ReleaseService.ReleaseView;
import io.gatehouse.stage.Stage;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;

/**
 * The one way a release is written, whether published directly or approved from a request: insert it,
 * NOTIFY the instances in the same transaction, audit it.
 */
@ApplicationScoped
class ReleaseWriter {
    private final AuditLog audit;
    private final Receipts receipts;

    ReleaseWriter(AuditLog audit, Receipts receipts) {
        this.audit = audit;
        this.receipts = receipts;
    }

    /** What a release writes: the version, the frozen backend config and resources, and why. */
    record Draft(GatewayVersion version, String backend, String resources, String comment, Release rollbackOf) {
    }

    Release insert(String actor, String approvedBy, Gateway gateway, Stage stage, Release latest, Draft draft,
                   String action) {
        Release release = new Release();
        release.stage = stage;
        release.number = latest == null ? 1 : latest.number + 1;
        release.version = draft.version();
        release.backend = draft.backend();
        release.resources = draft.resources();
        release.comment = draft.comment() == null ? "" : draft.comment();
        release.rollbackOf = draft.rollbackOf();
        release.createdBy = actor;
        release.approvedBy = approvedBy;
        release.createdAt = OffsetDateTime.now();
        release.persistAndFlush();
        // Delivered on commit only, so no instance ever loads a release that was rolled back.
        Release.getEntityManager().createNativeQuery("select pg_notify(?1, ?2)")
                .setParameter(1, ReleaseService.CHANNEL)
                .setParameter(2, gateway.name + "/" + stage.name + "/" + release.id)
                .getSingleResult();
        audit.record(approvedBy == null ? actor : approvedBy, gateway.team.slug, gateway.name, action,
                "gateway/" + gateway.name + "/stages/" + stage.name + "/releases/" + release.number, null,
                view(release).withLive(null));
        return release;
    }

    /** The release's answer once committed: its live status after the instances had a bounded moment to apply it. */
    ReleaseView settled(String gateway, ReleaseView v) {
        return v.withLive(receipts.settle(gateway, v.stage(), v.number()));
    }

    ReleaseView view(Release r) {
        return new ReleaseView(r.number, r.stage.name, r.version.number, r.version.title, r.comment,
                r.rollbackOf == null ? null : r.rollbackOf.number, r.createdBy, r.createdAt, r.approvedBy,
                receipts.live(r.stage.id, r.id));
    }
}
