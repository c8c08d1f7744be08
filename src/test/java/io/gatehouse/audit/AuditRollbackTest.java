package io.gatehouse.audit;

import io.gatehouse.Fixtures;
import io.gatehouse.gateway.GatewayChanged;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.gatehouse.Fixtures.admin;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * The audit log is written in the transaction of the change it records: a change that fails after its first
 * write (the resource row and its audit entry are written, then an observer in the same transaction fails)
 * leaves neither the change nor an entry for it.
 */
@QuarkusTest
class AuditRollbackTest {

    /** Fails the transaction of any change to a gateway named in {@link #FAILING}, after its writes. */
    @ApplicationScoped
    static class FailingObserver {
        void fail(@Observes GatewayChanged changed) {
            if (FAILING.contains(changed.gateway())) {
                throw new IllegalStateException("a failure after the change's first writes (test)");
            }
        }
    }

    static final Set<String> FAILING = ConcurrentHashMap.newKeySet();

    @Test
    void aChangeThatFailsAfterItsFirstWriteLeavesNoAuditEntry() {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.resource(gw, "kept", "GET", "/kept");
        FAILING.add(gw);
        try {
            admin().body(Map.of("method", "GET", "path", "/lost")).put("/api/v1/gateways/{g}/resources/lost", gw)
                    .then().statusCode(500);
        } finally {
            FAILING.remove(gw);
        }
        admin().get("/api/v1/gateways/{g}/resources/lost", gw).then().statusCode(404);
        admin().get("/api/v1/gateways/{g}/audit", gw).then().statusCode(200)
                .body("target", hasItem("gateway/" + gw + "/resources/kept"))
                .body("target", not(hasItem("gateway/" + gw + "/resources/lost")));
    }
}
