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

    /** Which entries to read: an exact actor (null for all) and a [since, until) window (nulls for open ends). */
    public record Filter(String actor, OffsetDateTime since, OffsetDateTime until) {
        public Filter {
            actor = actor == null || actor.isBlank() ? null : actor;
        }
    }

    /** One page of entries (1-based) and whether an older page follows. */
    public record Page(List<AuditView> entries, int number, boolean hasOlder) {
        public int older() {
            return number + 1;
        }

        public int newer() {
            return number - 1;
        }
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
        Filter filter = new Filter(actor, since == null ? null : time("since", since),
                until == null ? null : time("until", until));
        int max = limit == null ? 100 : limit;
        if (max < 1 || max > MAX_LIMIT) {
            throw ValidationException.of("limit", "must be an integer from 1 to " + MAX_LIMIT);
        }
        return read(gateway, filter, 0, max);
    }

    /** Page {@code number} (from 1) of {@code size} entries, for the console. */
    @Transactional
    public Page page(String gw, Filter filter, int number, int size) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        List<AuditView> entries = read(gateway, filter, (number - 1) * size, size + 1);
        boolean older = entries.size() > size;
        return new Page(older ? entries.subList(0, size) : entries, number, older);
    }

    /** Everyone who has changed this gateway, for the console's actor filter. */
    @Transactional
    public List<String> actors(String gw) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        return AuditEntry.getEntityManager()
                .createQuery("select distinct e.actor from AuditEntry e where e.gateway = :g order by e.actor", String.class)
                .setParameter("g", gateway.name).getResultList();
    }

    // Every value is a bound parameter and the actor is compared with =, so % _ \ and quotes match literally.
    private List<AuditView> read(Gateway gateway, Filter filter, int offset, int count) {
        StringBuilder q = new StringBuilder("gateway = :gateway");
        Parameters p = Parameters.with("gateway", gateway.name);
        if (filter.actor() != null) {
            q.append(" and actor = :actor");
            p.and("actor", filter.actor());
        }
        if (filter.since() != null) {
            q.append(" and at >= :since");
            p.and("since", filter.since());
        }
        if (filter.until() != null) {
            q.append(" and at < :until");
            p.and("until", filter.until());
        }
        List<AuditEntry> entries = AuditEntry.<AuditEntry>find(q + " order by at desc, id desc", p)
                .range(offset, offset + count - 1).list();
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
