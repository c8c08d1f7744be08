package io.gatehouse.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.auth.Access;
import io.gatehouse.common.JsonColumns;
import io.gatehouse.common.ValidationException;
import io.gatehouse.gateway.Gateway;
import io.gatehouse.team.Role;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Reading the audit log of a gateway, newest first. */
@ApplicationScoped
public class AuditService {
    public static final int MAX_LIMIT = 500;

    public record AuditView(long id, OffsetDateTime at, String actor, String action, String target, JsonNode before,
                            JsonNode after) {
    }

    private final Access access;
    private final JsonColumns json;

    public AuditService(Access access, JsonColumns json) {
        this.access = access;
        this.json = json;
    }

    @Transactional
    public List<AuditView> forGateway(String gw, String actor, String since, String until, Integer limit) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        StringBuilder q = new StringBuilder("gateway = :gateway");
        Parameters p = Parameters.with("gateway", gateway.name);
        if (actor != null && !actor.isBlank()) {
            q.append(" and actor = :actor");
            p.and("actor", actor);
        }
        if (since != null) {
            q.append(" and at >= :since");
            p.and("since", time("since", since));
        }
        if (until != null) {
            q.append(" and at < :until");
            p.and("until", time("until", until));
        }
        int max = limit == null ? 100 : limit;
        if (max < 1 || max > MAX_LIMIT) {
            throw ValidationException.of("limit", "must be an integer from 1 to " + MAX_LIMIT);
        }
        List<AuditEntry> entries = AuditEntry.find(q + " order by at desc, id desc", p).page(0, max).list();
        return entries.stream().map(e -> new AuditView(e.id, e.at, e.actor, e.action, e.target,
                json.read(e.before, JsonNode.class), json.read(e.after, JsonNode.class))).toList();
    }

    private static OffsetDateTime time(String field, String value) {
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw ValidationException.of(field, "must be an ISO-8601 time with offset, e.g. 2026-11-23T10:00:00Z");
        }
    }
}
