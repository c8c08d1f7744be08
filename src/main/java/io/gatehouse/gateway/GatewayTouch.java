package io.gatehouse.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.OffsetDateTime;

/**
 * A gateway's "Updated" follows every change of what it would serve: a synchronous observer of
 * {@link GatewayChanged}, so the new time is written in the same transaction as the stage or resource
 * change (and rolled back with it). The services lock the gateway's row first, so this adds no race.
 */
@ApplicationScoped
public class GatewayTouch {
    void touch(@Observes GatewayChanged event) {
        Gateway.findByName(event.gateway()).ifPresent(g -> g.updatedAt = OffsetDateTime.now());
    }
}
