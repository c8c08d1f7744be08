package io.gatehouse.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.OffsetDateTime;

/**
 * A gateway's "Updated" follows every change of what it would serve: a synchronous observer of
 * {@link GatewayChanged}, so the new time is written in the same transaction as the stage or resource
 * change (and rolled back with it). The services lock the gateway's row first, so this adds no race.
 * The same change takes a new draft revision (V10 migration), which tells readers that remember a
 * comparison with the draft (release.DraftDiffs) that the draft moved.
 */
@ApplicationScoped
public class GatewayTouch {
    void touch(@Observes GatewayChanged event) {
        Gateway.findByName(event.gateway()).ifPresent(g -> {
            g.updatedAt = OffsetDateTime.now();
            Gateway.getEntityManager()
                    .createNativeQuery("update gateway set draft_revision = nextval('gateway_draft_revision') where id = ?1")
                    .setParameter(1, g.id).executeUpdate();
        });
    }

    /** The gateway's draft revision as committed (or as written by this transaction). */
    public static long draftRevision(long gatewayId) {
        return ((Number) Gateway.getEntityManager().createNativeQuery("select draft_revision from gateway where id = ?1")
                .setParameter(1, gatewayId).getSingleResult()).longValue();
    }
}
