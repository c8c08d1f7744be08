package io.gatehouse.gateway;

import io.gatehouse.common.Keyset;
import io.gatehouse.audit.AuditLog;
import io.gatehouse.auth.Access;
import io.gatehouse.common.ApiException;
import io.gatehouse.common.Violations;
import io.gatehouse.resource.ApiResource;
import io.gatehouse.stage.Stage;
import io.gatehouse.team.Role;
import io.gatehouse.team.Team;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.regex.Pattern;

@ApplicationScoped
public class GatewayService {
    /** Part of the public URL, so globally unique and URL-safe. */
    public static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9-]{1,62}$");

    public record GatewayBody(String name, String description) {
    }

    /** What can change after creation: the name cannot, it is part of the public URL. */
    public record GatewayPatch(String description) {
    }

    public record GatewayView(String name, String team, String description, List<String> stages, long resources,
                              OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    }

    private final Access access;
    private final AuditLog audit;
    private final Event<GatewayChanged> changed;

    public GatewayService(Access access, AuditLog audit, Event<GatewayChanged> changed) {
        this.access = access;
        this.audit = audit;
        this.changed = changed;
    }

    @Transactional
    public GatewayView create(String teamSlug, GatewayBody body) {
        String actor = access.user().username;
        Team team = access.team(teamSlug, Role.MAINTAINER);
        if (body == null) {
            throw ApiException.badRequest("a JSON body with name and description is required");
        }
        Violations v = new Violations();
        if (body.name() == null || !NAME.matcher(body.name()).matches()) {
            v.add("name", io.gatehouse.common.NameRules.SLUG);
        }
        checkDescription(body.description(), v);
        v.throwIfAny();
        if (Gateway.findByName(body.name()).isPresent()) {
            throw ApiException.conflict("the gateway name '" + body.name() + "' is taken (names are global: they are "
                    + "part of the public URL)");
        }
        Gateway gateway = new Gateway();
        gateway.team = team;
        gateway.name = body.name();
        gateway.description = body.description() == null ? "" : body.description();
        gateway.updatedAt = OffsetDateTime.now();
        gateway.persistAndFlush();
        Gateway.getEntityManager().refresh(gateway);
        GatewayView view = view(gateway);
        audit.record(actor, team.slug, gateway.name, "gateway.create", "gateway/" + gateway.name, null, view);
        return view;
    }

    /** Maintainers change the description; an absent field keeps its value. */
    @Transactional
    public GatewayView update(String name, GatewayPatch patch) {
        String actor = access.user().username;
        Gateway gateway = access.gatewayForUpdate(name, Role.MAINTAINER);
        if (patch == null) {
            throw ApiException.badRequest("a JSON body with description is required");
        }
        Violations v = new Violations();
        checkDescription(patch.description(), v);
        v.throwIfAny();
        GatewayView before = view(gateway);
        if (patch.description() == null || patch.description().equals(gateway.description)) {
            return before;
        }
        gateway.description = patch.description();
        gateway.updatedAt = OffsetDateTime.now();
        gateway.persistAndFlush();
        GatewayView after = view(gateway);
        audit.record(actor, gateway.team.slug, name, "gateway.update", "gateway/" + name, before, after);
        return after;
    }

    private static void checkDescription(String description, Violations v) {
        if (description != null && description.length() > 1000) {
            v.add("description", "must be at most 1000 characters");
        }
    }

    @Transactional
    public List<GatewayView> list(String teamSlug) {
        Team team = access.team(teamSlug, Role.VIEWER);
        List<Gateway> gateways = Gateway.list("team = ?1 order by name", team);
        return gateways.stream().map(GatewayService::view).toList();
    }

    /** A page of the team's gateways in name order, those whose name or description contains {@code q}. */
    @Transactional
    public Keyset.Page<GatewayView> page(String teamSlug, String q, String after) {
        Team team = access.team(teamSlug, Role.VIEWER);
        Keyset.check(q, null);
        return Keyset.page(new Keyset.Query<>(Gateway.class, "team = :team",
                        java.util.Map.of("team", team), "name", false, List.of("name", "description")),
                q, after, PAGE, g -> g.name, k -> k).map(GatewayService::view);
    }

    /** Rows per page of the console's lists of gateways. */
    public static final int PAGE = 50;

    @Transactional
    public GatewayView get(String name) {
        return view(access.gateway(name, Role.VIEWER));
    }

    @Transactional
    public void delete(String name) {
        String actor = access.user().username;
        Gateway gateway = access.gatewayForUpdate(name, Role.OWNER);
        GatewayView before = view(gateway);
        // A bulk delete: the database cascades to stages, resources, versions and releases, which the
        // session may hold and would otherwise try to flush against a removed gateway.
        Gateway.delete("id", gateway.id);
        audit.record(actor, gateway.team.slug, name, "gateway.delete", "gateway/" + name, before, null);
        changed.fire(new GatewayChanged(name));
    }

    static GatewayView view(Gateway g) {
        List<String> stages = Stage.listFor(g).stream().map(s -> s.name).toList();
        return new GatewayView(g.name, g.team.slug, g.description, stages, ApiResource.count("gateway", g),
                g.createdAt, g.updatedAt);
    }
}
