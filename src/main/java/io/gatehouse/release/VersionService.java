package io.gatehouse.release;

import io.gatehouse.common.Keyset;
import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.audit.AuditLog;
import io.gatehouse.auth.Access;
import io.gatehouse.common.ApiException;
import io.gatehouse.common.JsonColumns;
import io.gatehouse.common.Violations;
import io.gatehouse.gateway.Gateway;
import io.gatehouse.common.JsonDiff;
import io.gatehouse.common.JsonDiff.ResourcesDiff;
import io.gatehouse.resource.ResourceService;
import io.gatehouse.team.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.List;

/** Versions: numbered, immutable snapshots of a gateway's draft resources, and diffs between them. */
@ApplicationScoped
public class VersionService {
    /** Names the gateway's current, unversioned resources on either side of a diff. */
    public static final String DRAFT = "draft";

    public record VersionBody(String title, String comment) {
    }

    public record VersionView(int number, String title, String comment, int resources, String createdBy,
                              OffsetDateTime createdAt) {
    }

    public record VersionDiff(String from, String to, ResourcesDiff resources) {
    }

    private final Access access;
    private final AuditLog audit;
    private final JsonColumns json;
    private final ResourceService resources;

    public VersionService(Access access, AuditLog audit, JsonColumns json, ResourceService resources) {
        this.access = access;
        this.audit = audit;
        this.json = json;
        this.resources = resources;
    }

    @Transactional
    public VersionView create(String gw, VersionBody body) {
        String actor = access.user().username;
        Gateway gateway = access.gatewayForUpdate(gw, Role.MAINTAINER);
        Violations v = new Violations();
        if (body == null || body.title() == null || body.title().isBlank() || body.title().length() > 200) {
            v.add("title", "is required, at most 200 characters");
        }
        if (body != null && body.comment() != null && body.comment().length() > 1000) {
            v.add("comment", "must be at most 1000 characters");
        }
        v.throwIfAny();
        String snapshot = json.write(resources.specs(gateway));
        JsonNode draft = json.read(snapshot, JsonNode.class);
        if (draft.isEmpty()) {
            throw new ApiException(422, "nothing_to_version", "Nothing to version",
                    "gateway '" + gw + "' has no resources yet; add one before creating a version");
        }
        GatewayVersion latest = GatewayVersion.latest(gateway).orElse(null);
        if (latest != null && json.read(latest.resources, JsonNode.class).equals(draft)) {
            throw ApiException.conflict("the resources have not changed since version " + latest.number);
        }
        GatewayVersion version = new GatewayVersion();
        version.gateway = gateway;
        version.number = latest == null ? 1 : latest.number + 1;
        version.title = body.title().trim();
        version.comment = body.comment() == null ? "" : body.comment();
        version.resources = snapshot;
        version.createdBy = actor;
        version.createdAt = OffsetDateTime.now();
        version.persist();
        VersionView view = view(version);
        audit.record(actor, gateway.team.slug, gw, "version.create", "gateway/" + gw + "/versions/" + version.number,
                null, view);
        return view;
    }

    @Transactional
    public List<VersionView> list(String gw) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        // Each snapshot's resources as counted when it was written (resource_count, V11): the snapshots
        // themselves (2 MB each for 10,000 resources) are neither fetched nor parsed for a list.
        @SuppressWarnings("unchecked")
        List<Object[]> rows = GatewayVersion.getEntityManager().createNativeQuery("""
                select number, title, comment, resource_count, created_by, created_at
                  from gateway_version where gateway_id = ?1 order by number desc""")
                .setParameter(1, gateway.id).getResultList();
        return rows.stream().map(r -> new VersionView((Integer) r[0], (String) r[1], (String) r[2],
                ((Number) r[3]).intValue(), (String) r[4], toOffset(r[5]))).toList();
    }

    /** A page of the gateway's versions, newest first, those whose title or comment contains {@code q}. */
    @Transactional
    public Keyset.Page<VersionView> page(String gw, String q, String after, int size) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        Keyset.check(q, size);
        Keyset.Page<GatewayVersion> page = Keyset.page(
                new Keyset.Query<>(GatewayVersion.class,
                        "gateway = :gateway", java.util.Map.of("gateway", gateway), "number", true,
                        List.of("title", "comment")),
                q, after, size, v -> v.number, io.gatehouse.common.Keyset::intKey);
        java.util.Map<Long, Integer> counts = resourceCounts(page.items().stream().map(v -> v.id).toList());
        return page.map(v -> view(v, counts.get(v.id)));
    }

    /** A version's full snapshot: its resources by name. */
    @Transactional
    public JsonNode resourcesOf(String gw, int number) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        return json.read(version(gateway, number).resources, JsonNode.class);
    }

    /** Differences from version {@code a} to version {@code b}; either may be {@value #DRAFT}. */
    @Transactional
    public VersionDiff diff(String gw, String a, String b) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        return new VersionDiff(a, b, JsonDiff.resources(side(gateway, a), side(gateway, b)));
    }

    private JsonNode side(Gateway gateway, String which) {
        if (DRAFT.equals(which)) {
            return json.read(json.write(resources.specs(gateway)), JsonNode.class);
        }
        int number;
        try {
            number = Integer.parseInt(which);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("version", which);
        }
        return json.read(version(gateway, number).resources, JsonNode.class);
    }

    private static GatewayVersion version(Gateway gateway, int number) {
        return GatewayVersion.find(gateway, number).orElseThrow(() -> ApiException.notFound("version",
                String.valueOf(number)));
    }

    private static OffsetDateTime toOffset(Object timestamp) {
        // As the entity would map it: in the JVM's zone (Hibernate's default normalisation).
        java.time.Instant at = timestamp instanceof OffsetDateTime o ? o.toInstant()
                : timestamp instanceof java.time.Instant i ? i : ((java.sql.Timestamp) timestamp).toInstant();
        return at.atZone(java.time.ZoneId.systemDefault()).toOffsetDateTime();
    }

    /** Each version's number of resources, counted by the database when it was written (V11's resource_count). */
    private static java.util.Map<Long, Integer> resourceCounts(List<Long> ids) {
        java.util.Map<Long, Integer> counts = new java.util.HashMap<>();
        if (ids.isEmpty()) {
            return counts;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = GatewayVersion.getEntityManager().createNativeQuery(
                        "select id, resource_count from gateway_version"
                                + " where id in (:ids)")
                .setParameter("ids", ids).getResultList();
        rows.forEach(r -> counts.put(((Number) r[0]).longValue(), ((Number) r[1]).intValue()));
        return counts;
    }

    private VersionView view(GatewayVersion v, int resources) {
        return new VersionView(v.number, v.title, v.comment, resources, v.createdBy, v.createdAt);
    }

    private VersionView view(GatewayVersion v) {
        return new VersionView(v.number, v.title, v.comment, json.read(v.resources, JsonNode.class).size(),
                v.createdBy, v.createdAt);
    }
}
