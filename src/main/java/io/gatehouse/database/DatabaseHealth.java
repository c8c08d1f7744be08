package io.gatehouse.database;

import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * The database's state as its own health group, {@code /q/health/group/database}: not part of readiness, so an
 * outage never takes a serving proxy out of its load balancer. A console-only load balancer may probe this group.
 */
@HealthGroup("database")
@ApplicationScoped
public class DatabaseHealth implements HealthCheck {
    private final DatabaseStatus status;

    public DatabaseHealth(DatabaseStatus status) {
        this.status = status;
    }

    @Override
    public HealthCheckResponse call() {
        DatabaseStatus.State s = status.state();
        var b = HealthCheckResponse.named("database").status(s.up()).withData("since", s.since().toString());
        if (s.reason() != null) {
            b.withData("reason", s.reason());
        }
        return b.build();
    }
}
