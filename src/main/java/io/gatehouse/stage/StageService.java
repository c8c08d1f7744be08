package io.gatehouse.stage;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.gatehouse.audit.AuditLog;
import io.gatehouse.auth.Access;
import io.gatehouse.common.ApiException;
import io.gatehouse.common.JsonColumns;
import io.gatehouse.common.Violations;
import io.gatehouse.gateway.Gateway;
import io.gatehouse.gateway.GatewayChanged;
import io.gatehouse.team.Role;
import io.gatehouse.tenant.TenantReferences;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.regex.Pattern;

@ApplicationScoped
public class StageService {
    public static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9-]{0,31}$");

    /**
     * A stage as written. {@code requiresApproval} null keeps the stage's current setting (false for a new
     * stage), so a pipeline that PUTs only description and backend never changes it; only {@code true} is
     * written out, as in exports.
     */
    public record StageBody(String description, BackendConfig backend,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean requiresApproval) {
        public StageBody(String description, BackendConfig backend) {
            this(description, backend, null);
        }
    }

    public record StageView(String name, String description, BackendConfig backend, boolean requiresApproval,
                            OffsetDateTime updatedAt) {
    }

    public record StageChange(StageView stage, boolean created) {
    }

    private final Access access;
    private final AuditLog audit;
    private final JsonColumns json;
    private final Event<GatewayChanged> changed;

    public StageService(Access access, AuditLog audit, JsonColumns json, Event<GatewayChanged> changed) {
        this.access = access;
        this.audit = audit;
        this.json = json;
        this.changed = changed;
    }

    @Transactional
    public List<StageView> list(String gw) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        return Stage.listFor(gateway).stream().map(this::view).toList();
    }

    @Transactional
    public StageView get(String gw, String name) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        return view(Stage.find(gateway, name).orElseThrow(() -> ApiException.notFound("stage", name)));
    }

    /** Creates or replaces a stage and its backend config. */
    @Transactional
    public StageChange put(String gw, String name, StageBody body) {
        return put(gw, name, body, true);
    }

    /**
     * As {@link #put(String, String, StageBody)}; {@code audited} false for a caller that records one entry
     * for a change of many parts (the config-as-code import).
     */
    @Transactional
    public StageChange put(String gw, String name, StageBody body, boolean audited) {
        String actor = access.user().username;
        Gateway gateway = access.gatewayForUpdate(gw, Role.MAINTAINER);
        if (body == null) {
            throw ApiException.badRequest("a JSON body with description and backend is required");
        }
        Violations v = new Violations();
        if (!NAME.matcher(name).matches()) {
            v.add("name", io.gatehouse.common.NameRules.STAGE);
        }
        if (body.description() != null && body.description().length() > 1000) {
            v.add("description", "must be at most 1000 characters");
        }
        if (body.backend() == null) {
            v.add("backend", "is required");
        } else {
            body.backend().validate("backend", v);
            if (v.isEmpty()) {
                TenantReferences.checkPools(body.backend(), "backend", TenantReferences.declared(gateway), v);
            }
        }
        v.throwIfAny();
        Stage stage = Stage.find(gateway, name).orElse(null);
        boolean created = stage == null;
        StageView before = created ? null : view(stage);
        if (created) {
            stage = new Stage();
            stage.gateway = gateway;
            stage.name = name;
        }
        if (body.requiresApproval() != null && stage.requiresApproval && !body.requiresApproval()) {
            // Four eyes would mean little if a maintainer could switch them off: only an owner can.
            access.require(gateway, Role.OWNER, "turning requires_approval off");
        }
        stage.description = body.description() == null ? "" : body.description();
        stage.backend = json.write(body.backend().normalized());
        if (body.requiresApproval() != null) {
            stage.requiresApproval = body.requiresApproval();
        }
        stage.updatedAt = OffsetDateTime.now();
        stage.persistAndFlush();
        StageView after = view(stage);
        if (audited) {
            audit.record(actor, gateway.team.slug, gw, created ? "stage.create" : "stage.update",
                    "gateway/" + gw + "/stages/" + name, before, after);
        }
        changed.fire(new GatewayChanged(gw));
        return new StageChange(after, created);
    }

    @Transactional
    public void delete(String gw, String name) {
        String actor = access.user().username;
        Gateway gateway = access.gatewayForUpdate(gw, Role.MAINTAINER);
        Stage stage = Stage.find(gateway, name).orElseThrow(() -> ApiException.notFound("stage", name));
        if (stage.requiresApproval) {
            access.require(gateway, Role.OWNER, "deleting a stage that requires approval");
        }
        @SuppressWarnings("unchecked")
        List<String> overriding = Stage.getEntityManager().createNativeQuery(
                        "select name from api_resource where gateway_id = ?1 and jsonb_exists(overrides, ?2) order by name")
                .setParameter(1, gateway.id).setParameter(2, name).getResultList();
        if (!overriding.isEmpty()) {
            throw ApiException.conflict("resources " + String.join(", ", overriding) + " override stage '" + name
                    + "'; remove their overrides first");
        }
        StageView before = view(stage);
        stage.delete();
        audit.record(actor, gateway.team.slug, gw, "stage.delete", "gateway/" + gw + "/stages/" + name, before, null);
        changed.fire(new GatewayChanged(gw));
    }

    public BackendConfig backend(Stage stage) {
        return json.read(stage.backend, BackendConfig.class);
    }

    private StageView view(Stage stage) {
        return new StageView(stage.name, stage.description, backend(stage), stage.requiresApproval, stage.updatedAt);
    }
}
