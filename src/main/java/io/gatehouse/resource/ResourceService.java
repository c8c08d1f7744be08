package io.gatehouse.resource;

import io.gatehouse.common.Keyset;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import io.gatehouse.audit.AuditLog;
import io.gatehouse.auth.Access;
import io.gatehouse.common.ApiException;
import io.gatehouse.common.JsonColumns;
import io.gatehouse.common.ValidationException;
import io.gatehouse.common.Violations;
import io.gatehouse.gateway.Gateway;
import io.gatehouse.gateway.GatewayChanged;
import io.gatehouse.stage.BackendConfig;
import io.gatehouse.stage.Stage;
import io.gatehouse.team.Role;
import io.gatehouse.tenant.TenantReferences;
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
                               String description, Map<String, BackendConfig> overrides,
                               @JsonInclude(JsonInclude.Include.NON_NULL) ResourceSpec.TenantRule tenants,
                               OffsetDateTime updatedAt) {
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

    public static final int DEFAULT_PAGE = 100;

    /**
     * A page of the gateway's resources in name order ({@link io.gatehouse.common.Keyset}: {@code after} a name, so
     * any page costs one index range scan however deep), optionally only those whose name or path contains
     * {@code q} (case-insensitive).
     */
    @Transactional
    public Keyset.Page<ResourceView> page(String gw, String q, String after, Integer limit) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        Keyset.check(q, limit);
        return Keyset.page(new Keyset.Query<>(ApiResource.class,
                        "gateway = :gateway", Map.of("gateway", gateway), "name", false, List.of("name", "path")),
                q, after, limit == null ? DEFAULT_PAGE : limit, r -> r.name, k -> k).map(this::view);
    }

    /** Whether the gateway has a resource of this name. */
    @Transactional
    public boolean exists(String gw, String name) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        return ApiResource.find(gateway, name).isPresent();
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
            v.add("name", io.gatehouse.common.NameRules.RESOURCE);
        }
        Set<String> stages = Stage.listFor(gateway).stream().map(s -> s.name).collect(Collectors.toSet());
        body.validate(stages, v);
        if (v.isEmpty()) {
            TenantReferences.checkResource(body, "", TenantReferences.declared(gateway), v);
        }
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
        resource.tenants = spec.tenants() == null ? null : json.write(spec.tenants());
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

    /**
     * An import's resource writes in three statements, whatever their number: the removed and changed rows
     * deleted in one, the changed and added ones inserted in one JDBC batch (a changed row keeps its
     * created_at). Deleting before inserting lets resources swap router slots within one import without
     * tripping the unique slot key half-way. The caller has validated every spec (including slot conflicts
     * among them), holds the gateway's row lock, audits once and fires {@link GatewayChanged} once.
     */
    public void importResources(Gateway gateway, Set<String> removed, Map<String, ResourceSpec> changed,
                                Map<String, ResourceSpec> added) {
        ApiResource.getEntityManager().flush();
        ApiResource.getEntityManager().unwrap(org.hibernate.Session.class).doWork(c -> {
            Map<String, java.sql.Timestamp> createdAt = new java.util.HashMap<>();
            java.util.List<String> gone = new java.util.ArrayList<>(removed);
            gone.addAll(changed.keySet());
            if (!gone.isEmpty()) {
                try (java.sql.PreparedStatement s = c.prepareStatement("delete from api_resource where gateway_id = ?"
                        + " and name = any (?) returning name, created_at")) {
                    s.setLong(1, gateway.id);
                    s.setArray(2, c.createArrayOf("varchar", gone.toArray()));
                    try (java.sql.ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            createdAt.put(rs.getString(1), rs.getTimestamp(2));
                        }
                    }
                }
            }
            java.sql.Timestamp now = java.sql.Timestamp.from(java.time.Instant.now());
            try (java.sql.PreparedStatement s = c.prepareStatement("insert into api_resource (gateway_id, name, method,"
                    + " path, match, path_shape, backend_path, description, overrides, created_at, updated_at, tenants)"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb)")) {
                int pending = 0;
                for (Map<String, ResourceSpec> part : java.util.List.of(changed, added)) {
                    for (Map.Entry<String, ResourceSpec> e : part.entrySet()) {
                        ResourceSpec spec = e.getValue().normalized();
                        s.setLong(1, gateway.id);
                        s.setString(2, e.getKey());
                        s.setString(3, spec.method());
                        s.setString(4, spec.path());
                        s.setString(5, spec.match());
                        s.setString(6, PathTemplate.parse(spec.path()).shape());
                        s.setString(7, spec.backendPath());
                        s.setString(8, spec.description());
                        s.setString(9, json.write(spec.overrides()));
                        s.setTimestamp(10, createdAt.getOrDefault(e.getKey(), now));
                        s.setTimestamp(11, now);
                        s.setString(12, spec.tenants() == null ? null : json.write(spec.tenants()));
                        s.addBatch();
                        if (++pending == 1000) {
                            s.executeBatch();
                            pending = 0;
                        }
                    }
                }
                if (pending > 0) {
                    s.executeBatch();
                }
            }
        });
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
        return new ResourceSpec(r.method, r.path, r.match, r.backendPath, r.description, json.read(r.overrides, OVERRIDES),
                r.tenants == null ? null : json.read(r.tenants, ResourceSpec.TenantRule.class));
    }

    private ResourceView view(ApiResource r) {
        return new ResourceView(r.name, r.method, r.path, r.match, r.backendPath, r.description,
                json.read(r.overrides, OVERRIDES),
                r.tenants == null ? null : json.read(r.tenants, ResourceSpec.TenantRule.class), r.updatedAt);
    }
}
