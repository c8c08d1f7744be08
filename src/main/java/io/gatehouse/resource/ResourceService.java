package io.gatehouse.resource;

import com.fasterxml.jackson.core.type.TypeReference;
import io.gatehouse.audit.AuditLog;
import io.gatehouse.auth.Access;
import io.gatehouse.common.ApiException;
import io.gatehouse.common.JsonColumns;
import io.gatehouse.common.Violations;
import io.gatehouse.gateway.Gateway;
import io.gatehouse.gateway.GatewayChanged;
import io.gatehouse.stage.BackendConfig;
import io.gatehouse.stage.Stage;
import io.gatehouse.team.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

@ApplicationScoped
public class ResourceService {
    public static final Pattern NAME = Pattern.compile("^[A-Za-z][A-Za-z0-9_-]{0,63}$");
    private static final TypeReference<Map<String, BackendConfig>> OVERRIDES = new TypeReference<>() {
    };

    public record ResourceView(String name, String method, String path, String match, String backendPath,
                               String description, Map<String, BackendConfig> overrides, OffsetDateTime updatedAt) {
    }

    public record ResourceChange(ResourceView resource, boolean created) {
    }

    private final Access access;
    private final AuditLog audit;
    private final JsonColumns json;
    private final Event<GatewayChanged> changed;

    public ResourceService(Access access, AuditLog audit, JsonColumns json, Event<GatewayChanged> changed) {
        this.access = access;
        this.audit = audit;
        this.json = json;
        this.changed = changed;
    }

    @Transactional
    public List<ResourceView> list(String gw) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        return ApiResource.listFor(gateway).stream().map(this::view).toList();
    }

    @Transactional
    public ResourceView get(String gw, String name) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        return view(ApiResource.find(gateway, name).orElseThrow(() -> ApiException.notFound("resource", name)));
    }

    /** Creates or replaces a resource; the gateway's row lock makes the conflict check race-free. */
    @Transactional
    public ResourceChange put(String gw, String name, ResourceSpec body) {
        String actor = access.user().username;
        Gateway gateway = access.gatewayForUpdate(gw, Role.MAINTAINER);
        if (body == null) {
            throw ApiException.badRequest("a JSON body with method, path and backend_path is required");
        }
        Violations v = new Violations();
        if (!NAME.matcher(name).matches()) {
            v.add("name", "resource name must match [A-Za-z][A-Za-z0-9_-]{0,63}");
        }
        Set<String> stages = Stage.listFor(gateway).stream().map(s -> s.name).collect(Collectors.toSet());
        body.validate(stages, v);
        v.throwIfAny();
        ResourceSpec spec = body.normalized();
        String shape = PathTemplate.parse(spec.path()).shape();
        // The router's rule (ResourceSpec.routeSlot): same method, match and path shape; ANY beside GET is fine.
        ApiResource other = ApiResource.<ApiResource>find(
                "gateway = ?1 and match = ?2 and pathShape = ?3 and method = ?4 and name <> ?5",
                gateway, spec.match(), shape, spec.method(), name).firstResult();
        if (other != null) {
            throw ApiException.conflict("resource '" + other.name + "' (" + other.method + " " + other.path
                    + ", " + other.match + ") already matches the same requests");
        }
        ApiResource resource = ApiResource.find(gateway, name).orElse(null);
        boolean created = resource == null;
        ResourceView before = created ? null : view(resource);
        if (created) {
            resource = new ApiResource();
            resource.gateway = gateway;
            resource.name = name;
        }
        resource.method = spec.method();
        resource.path = spec.path();
        resource.match = spec.match();
        resource.pathShape = shape;
        resource.backendPath = spec.backendPath();
        resource.description = spec.description();
        resource.overrides = json.write(spec.overrides());
        resource.updatedAt = OffsetDateTime.now();
        resource.persistAndFlush();
        ResourceView after = view(resource);
        audit.record(actor, gateway.team.slug, gw, created ? "resource.create" : "resource.update",
                "gateway/" + gw + "/resources/" + name, before, after);
        changed.fire(new GatewayChanged(gw));
        return new ResourceChange(after, created);
    }

    @Transactional
    public void delete(String gw, String name) {
        String actor = access.user().username;
        Gateway gateway = access.gatewayForUpdate(gw, Role.MAINTAINER);
        ApiResource resource = ApiResource.find(gateway, name).orElseThrow(() -> ApiException.notFound("resource", name));
        ResourceView before = view(resource);
        resource.delete();
        audit.record(actor, gateway.team.slug, gw, "resource.delete", "gateway/" + gw + "/resources/" + name,
                before, null);
        changed.fire(new GatewayChanged(gw));
    }

    /** The gateway's draft resources by name, sorted: what a version freezes and the proxy compiles. */
    public Map<String, ResourceSpec> specs(Gateway gateway) {
        Map<String, ResourceSpec> specs = new LinkedHashMap<>();
        for (ApiResource r : ApiResource.listFor(gateway)) {
            specs.put(r.name, spec(r));
        }
        return specs;
    }

    private ResourceSpec spec(ApiResource r) {
        return new ResourceSpec(r.method, r.path, r.match, r.backendPath, r.description, json.read(r.overrides, OVERRIDES));
    }

    private ResourceView view(ApiResource r) {
        return new ResourceView(r.name, r.method, r.path, r.match, r.backendPath, r.description,
                json.read(r.overrides, OVERRIDES), r.updatedAt);
    }
}
