package io.gatehouse.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.auth.Access;
import io.gatehouse.common.JsonColumns;
import io.gatehouse.common.Keyset;
import io.gatehouse.common.ValidationException;
import io.gatehouse.gateway.Gateway;
import io.gatehouse.team.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reading the audit log of a gateway, newest first. */
@ApplicationScoped
public class AuditService {
    public static final int MAX_LIMIT = 500;

    public record AuditView(long id, OffsetDateTime at, String actor, String action, String target, JsonNode before,
                            JsonNode after) {
    }

    /** Which entries to read: an exact actor (null for all) and a [since, until) window (nulls for open ends). */
    public record Filter(String actor, OffsetDateTime since, OffsetDateTime until) {
        public Filter {
            actor = actor == null || actor.isBlank() ? null : actor;
        }
    }

    private final Access access;
    private final JsonColumns json;

    public AuditService(Access access, JsonColumns json) {
        this.access = access;
        this.json = json;
    }

    /**
     * The API's page: up to {@code limit} (1..{@value #MAX_LIMIT}, default 100) entries newest first, after the
     * entry {@code after}, within the actor and time filter, those whose action, object or actor contains {@code q}.
     */
    @Transactional
    public Keyset.Page<AuditView> forGateway(String gw, String actor, String since, String until, String q,
                                            String after, Integer limit) {
        Filter filter = new Filter(actor, since == null ? null : time("since", since),
                until == null ? null : time("until", until));
        int max = limit == null ? 100 : limit;
        if (max < 1 || max > MAX_LIMIT) {
            throw ValidationException.of("limit", "must be an integer from 1 to " + MAX_LIMIT);
        }
        return page(gw, filter, q, after, max);
    }

    /**
     * A page of {@code size} entries ({@link Keyset}, as every list), newest first in the order they were written
     * (the id: unique, where two changes in one transaction share their time), after the entry {@code after},
     * within {@code filter}, those whose action, object or actor contains {@code q}.
     */
    @Transactional
    public Keyset.Page<AuditView> page(String gw, Filter filter, String q, String after, int size) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        Keyset.check(q, size);
        Map<String, Object> params = new HashMap<>();
        String where = where(gateway, filter, params);
        return Keyset.page(new Keyset.Query<>(AuditEntry.class, where, params, "id", true,
                        List.of("action", "target", "actor")),
                q, after, size, e -> e.id, Keyset::longKey).map(this::view);
    }

    /** Everyone who has changed this gateway, for the console's actor filter. */
    @Transactional
    public List<String> actors(String gw) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        return AuditEntry.getEntityManager()
                .createQuery("select distinct e.actor from AuditEntry e where e.gateway = :g order by e.actor", String.class)
                .setParameter("g", gateway.name).getResultList();
    }

    /**
     * The JPQL condition for the gateway's entries within {@code filter}, its values put in {@code params}. Every
     * value is a bound parameter and the actor is compared with =, so % _ \ and quotes match literally.
     */
    private static String where(Gateway gateway, Filter filter, Map<String, Object> params) {
        StringBuilder where = new StringBuilder("gateway = :gateway");
        params.put("gateway", gateway.name);
        if (filter.actor() != null) {
            where.append(" and actor = :actor");
            params.put("actor", filter.actor());
        }
        if (filter.since() != null) {
            where.append(" and at >= :since");
            params.put("since", filter.since());
        }
        if (filter.until() != null) {
            where.append(" and at < :until");
            params.put("until", filter.until());
        }
        return where.toString();
    }

    private AuditView view(AuditEntry e) {
        return new AuditView(e.id, e.at, e.actor, e.action, e.target, json.read(e.before, JsonNode.class),
                json.read(e.after, JsonNode.class));
    }

    private static OffsetDateTime time(String field, String value) {
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw ValidationException.of(field, "must be an ISO-8601 time with offset, e.g. 2026-11-23T10:00:00Z");
        }
    }
}
