package io.gatehouse.hoststate;

import io.gatehouse.audit.AuditLog;
import io.gatehouse.auth.Access;
import io.gatehouse.balance.AdminState;
import io.gatehouse.common.ApiException;
import io.gatehouse.common.ValidationException;
import io.gatehouse.common.Violations;
import io.gatehouse.gateway.Gateway;
import io.gatehouse.release.ReleaseService;
import io.gatehouse.common.HostUrl;
import io.gatehouse.team.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Host states without a release: the on-call engineer's lever to take a host out of every pool of a
 * gateway at once (maintenance, an emergency). Not configuration, so no version, release or approval:
 * a maintainer may set it on a protected stage's hosts too, as nginx's {@code down} is flipped by an
 * operator, and it is audited like every change. Delivered to every proxy instance by the release
 * channel's NOTIFY, in the same transaction.
 */
@ApplicationScoped
public class HostStateService {
    public static final int MAX_REASON = 500;

    public record HostStateBody(String url, String state, String reason) {
    }

    public record HostStateView(String url, String state, String reason, String updatedBy, OffsetDateTime updatedAt) {
    }

    private final Access access;
    private final AuditLog audit;

    public HostStateService(Access access, AuditLog audit) {
        this.access = access;
        this.audit = audit;
    }

    @Transactional
    public List<HostStateView> list(String gw) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        return HostStateRow.listFor(gateway).stream().map(HostStateService::view).toList();
    }

    /**
     * Every host of the gateway (see {@link #hostsOf}) with its state, active ones included, by URL; the
     * console's Hosts tab.
     */
    @Transactional
    public List<HostStateView> hosts(String gw) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        java.util.Map<String, HostStateView> byUrl = new java.util.TreeMap<>();
        for (String url : hostsOf(gateway)) {
            byUrl.put(url, new HostStateView(url, AdminState.ACTIVE.wireName(), "", null, null));
        }
        for (HostStateRow row : HostStateRow.listFor(gateway)) {
            byUrl.put(row.url, view(row)); // a state outlives the host's removal from config: still shown
        }
        return List.copyOf(byUrl.values());
    }

    /** Sets a host's state; {@code active} removes the row (no row means active). */
    @Transactional
    public HostStateView put(String gw, HostStateBody body) {
        String actor = access.user().username;
        Gateway gateway = access.gatewayForUpdate(gw, Role.MAINTAINER);
        if (body == null) {
            throw ApiException.badRequest("a JSON body with url, state and reason is required");
        }
        Violations v = new Violations();
        String urlProblem = HostUrl.problem(body.url());
        if (urlProblem != null) {
            v.add("url", urlProblem);
        }
        AdminState state = body.state() == null ? null : AdminState.fromWireName(body.state());
        if (state == null) {
            v.add("state", "must be one of active, draining, disabled");
        }
        String reason = body.reason() == null ? "" : body.reason().strip();
        if (reason.length() > MAX_REASON) {
            v.add("reason", "must be at most " + MAX_REASON + " characters");
        }
        v.throwIfAny();
        String url = HostUrl.parse(body.url()).canonical();
        Set<String> known = hostsOf(gateway);
        if (!known.contains(url)) {
            // A typo on the emergency lever must not look like success.
            throw ValidationException.of("url", "names no host of gateway '" + gw + "' (its stages, overrides and live releases"
                    + " use: " + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
        }
        HostStateRow row = HostStateRow.find(gateway, url).orElse(null);
        HostStateView before = row == null ? new HostStateView(url, AdminState.ACTIVE.wireName(), "", null, null)
                : view(row);
        HostStateView after;
        if (state == AdminState.ACTIVE) {
            if (row != null) {
                row.delete();
            }
            after = new HostStateView(url, state.wireName(), reason, actor, OffsetDateTime.now());
        } else {
            if (row == null) {
                row = new HostStateRow();
                row.gateway = gateway;
                row.url = url;
            }
            row.state = state.wireName();
            row.reason = reason;
            row.updatedBy = actor;
            row.updatedAt = OffsetDateTime.now();
            row.persistAndFlush();
            after = view(row);
        }
        HostStateRow.getEntityManager().createNativeQuery("select pg_notify(?1, ?2)")
                .setParameter(1, ReleaseService.CHANNEL)
                .setParameter(2, "host-state/" + gw)
                .getSingleResult();
        audit.record(actor, gateway.team.slug, gw, "host_state." + state.wireName(), "gateway/" + gw + "/host-states/"
                + url, before, after);
        return after;
    }

    /**
     * Every host URL (canonical) that the gateway's stage drafts, resource overrides or latest releases
     * name: a state may be set for any host that is or may soon be served.
     */
    @SuppressWarnings("unchecked")
    static Set<String> hostsOf(Gateway gateway) {
        List<String> urls = HostStateRow.getEntityManager().createNativeQuery("""
                select distinct u #>> '{}' from (
                    select jsonb_path_query(s.backend, 'strict $.**.url') u from stage s where s.gateway_id = ?1
                    union all
                    select jsonb_path_query(r.overrides, 'strict $.**.url') from api_resource r where r.gateway_id = ?1
                    union all
                    select jsonb_path_query(rel.backend, 'strict $.**.url') from release rel
                      join stage s on s.id = rel.stage_id where s.gateway_id = ?1
                       and rel.number = (select max(number) from release where stage_id = s.id)
                    union all
                    select jsonb_path_query(rel.resources, 'strict $.**.url') from release rel
                      join stage s on s.id = rel.stage_id where s.gateway_id = ?1
                       and rel.number = (select max(number) from release where stage_id = s.id)
                ) hosts""").setParameter(1, gateway.id).getResultList();
        Set<String> canonical = new TreeSet<>();
        for (String u : urls) {
            if (u != null && HostUrl.problem(u) == null) {
                canonical.add(HostUrl.parse(u).canonical());
            }
        }
        return canonical;
    }

    private static HostStateView view(HostStateRow row) {
        return new HostStateView(row.url, row.state, row.reason, row.updatedBy, row.updatedAt);
    }
}
