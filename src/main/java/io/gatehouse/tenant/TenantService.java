package io.gatehouse.tenant;

import io.gatehouse.common.Keyset;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.gatehouse.audit.AuditLog;
import io.gatehouse.auth.Access;
import io.gatehouse.common.ApiException;
import io.gatehouse.common.NameRules;
import io.gatehouse.common.Violations;
import io.gatehouse.gateway.Gateway;
import io.gatehouse.release.ReleaseService;
import io.gatehouse.team.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Tenants of a gateway and their API keys. Neither is configuration that waits for a release: every change
 * NOTIFYs the proxy instances in its own transaction (delivered on commit), so a new limit, a new key or a
 * revoked key takes effect on every instance within a second (see TenantSync).
 */
@ApplicationScoped
public class TenantService {
    public static final int MAX_RATE = 1_000_000;
    public static final int MAX_KEY_DAYS = 3650;

    public record RateLimit(Integer requestsPerSecond, Integer burst) {
    }

    public record TenantBody(String description, RateLimit rateLimit) {
    }

    public record TenantView(String name, String description, @JsonInclude(JsonInclude.Include.ALWAYS) RateLimit rateLimit,
                             OffsetDateTime updatedAt) {
    }

    public record TenantChange(TenantView tenant, boolean created) {
    }

    public record KeyBody(String name, Integer expiresInDays) {
    }

    /** The answer to creating a key: the only time its secret is shown. */
    public record KeyCreated(long id, String key, String name, String prefix, OffsetDateTime expiresAt) {
    }

    public record KeyView(long id, String name, String prefix, String createdBy, OffsetDateTime createdAt,
                          OffsetDateTime expiresAt, OffsetDateTime lastUsedAt, OffsetDateTime revokedAt,
                          String status) {
    }

    private final Access access;
    private final AuditLog audit;

    public TenantService(Access access, AuditLog audit) {
        this.access = access;
        this.audit = audit;
    }

    @Transactional
    public List<TenantView> list(String gw) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        return Tenant.listFor(gateway).stream().map(TenantService::view).toList();
    }

    /** A page of the gateway's tenants in name order, those whose name or description contains {@code q}. */
    @Transactional
    public Keyset.Page<TenantView> page(String gw, String q, String after) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        Keyset.check(q, null);
        return Keyset.page(new Keyset.Query<>(Tenant.class, "gateway = :gateway",
                        java.util.Map.of("gateway", gateway), "name", false, List.of("name", "description")),
                q, after, PAGE, t -> t.name, k -> k).map(TenantService::view);
    }

    /** Tenants per page of the console's Tenants tab (each is a card with its keys and forms). */
    public static final int PAGE = 25;

    @Transactional
    public TenantView get(String gw, String name) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        return view(tenant(gateway, name));
    }

    @Transactional
    public TenantChange put(String gw, String name, TenantBody body) {
        String actor = access.user().username;
        Gateway gateway = access.gatewayForUpdate(gw, Role.MAINTAINER);
        Violations v = new Violations();
        if (!NameRules.isTenantName(name)) {
            v.add("name", io.gatehouse.common.NameRules.TENANT);
        }
        TenantBody b = body == null ? new TenantBody(null, null) : body;
        if (b.description() != null && b.description().length() > 1000) {
            v.add("description", "must be at most 1000 characters");
        }
        RateLimit limit = b.rateLimit();
        if (limit != null) {
            if (limit.requestsPerSecond() == null || limit.requestsPerSecond() < 1 || limit.requestsPerSecond() > MAX_RATE) {
                v.add("rate_limit.requests_per_second", "must be an integer from 1 to " + MAX_RATE);
            }
            if (limit.burst() != null && (limit.burst() < 1 || limit.burst() > MAX_RATE)) {
                v.add("rate_limit.burst", "must be an integer from 1 to " + MAX_RATE);
            }
        }
        v.throwIfAny();
        Tenant tenant = Tenant.find(gateway, name).orElse(null);
        boolean created = tenant == null;
        TenantView before = created ? null : view(tenant);
        if (created) {
            tenant = new Tenant();
            tenant.gateway = gateway;
            tenant.name = name;
        }
        tenant.description = b.description() == null ? "" : b.description();
        tenant.rateLimitRps = limit == null ? null : limit.requestsPerSecond();
        // A burst left out is one second's worth, as Envoy's and Bucket4j's simple limits default to.
        tenant.rateLimitBurst = limit == null ? null : limit.burst() == null ? limit.requestsPerSecond() : limit.burst();
        tenant.updatedAt = OffsetDateTime.now();
        tenant.persistAndFlush();
        TenantView after = view(tenant);
        audit.record(actor, gateway.team.slug, gw, created ? "tenant.create" : "tenant.update",
                "gateway/" + gw + "/tenants/" + name, before, after);
        notifyInstances(gw);
        return new TenantChange(after, created);
    }

    @Transactional
    public void delete(String gw, String name) {
        String actor = access.user().username;
        Gateway gateway = access.gatewayForUpdate(gw, Role.MAINTAINER);
        Tenant tenant = tenant(gateway, name);
        List<String> uses = TenantReferences.uses(Tenant.getEntityManager(), gateway, name);
        if (!uses.isEmpty()) {
            throw ApiException.conflict("tenant '" + name + "' is still routed by " + String.join(", ", uses)
                    + "; remove it from there (and publish) first");
        }
        TenantView before = view(tenant);
        tenant.delete();
        audit.record(actor, gateway.team.slug, gw, "tenant.delete", "gateway/" + gw + "/tenants/" + name, before, null);
        notifyInstances(gw);
    }

    @Transactional
    public KeyCreated createKey(String gw, String name, KeyBody body) {
        String actor = access.user().username;
        Gateway gateway = access.gatewayForUpdate(gw, Role.MAINTAINER);
        Tenant tenant = tenant(gateway, name);
        if (body == null) {
            throw ApiException.badRequest("a JSON body with name (and optionally expires_in_days) is required");
        }
        Violations v = new Violations();
        if (body.name() == null || body.name().isBlank() || body.name().length() > 100) {
            v.add("name", "is required, at most 100 characters");
        }
        if (body.expiresInDays() != null && (body.expiresInDays() < 1 || body.expiresInDays() > MAX_KEY_DAYS)) {
            v.add("expires_in_days", "must be an integer from 1 to " + MAX_KEY_DAYS);
        }
        v.throwIfAny();
        String secret = ApiKeySecrets.newSecret();
        TenantApiKey key = new TenantApiKey();
        key.tenant = tenant;
        key.name = body.name().trim();
        key.keyHash = ApiKeySecrets.hash(secret);
        key.prefix = ApiKeySecrets.displayPrefix(secret);
        key.createdBy = actor;
        // No expiry unless asked (as Kong's and APISIX's key-auth credentials): revoking is the usual end.
        key.expiresAt = body.expiresInDays() == null ? null : OffsetDateTime.now().plusDays(body.expiresInDays());
        key.persistAndFlush();
        audit.record(actor, gateway.team.slug, gw, "tenant.key.create",
                "gateway/" + gw + "/tenants/" + name + "/keys/" + key.id, null, keyView(key));
        notifyInstances(gw);
        return new KeyCreated(key.id, secret, key.name, key.prefix, key.expiresAt);
    }

    @Transactional
    public List<KeyView> keys(String gw, String name) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        return TenantApiKey.listFor(tenant(gateway, name)).stream().map(TenantService::keyView).toList();
    }

    @Transactional
    public void revokeKey(String gw, String name, long id) {
        String actor = access.user().username;
        Gateway gateway = access.gatewayForUpdate(gw, Role.MAINTAINER);
        Tenant tenant = tenant(gateway, name);
        TenantApiKey key = TenantApiKey.<TenantApiKey>find("id = ?1 and tenant = ?2", id, tenant).firstResultOptional()
                .orElseThrow(() -> ApiException.notFound("key", String.valueOf(id)));
        if (key.revokedAt != null) {
            return; // idempotent, like any DELETE
        }
        KeyView before = keyView(key);
        key.revokedAt = OffsetDateTime.now();
        key.persistAndFlush();
        audit.record(actor, gateway.team.slug, gw, "tenant.key.revoke",
                "gateway/" + gw + "/tenants/" + name + "/keys/" + key.id, before, keyView(key));
        notifyInstances(gw);
    }

    /** Where the tenant is named (live releases, draft stages, resources), for the console. */
    @Transactional
    public List<String> namedBy(String gw, String name) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        return TenantReferences.uses(Tenant.getEntityManager(), gateway, tenant(gateway, name).name);
    }

    private static Tenant tenant(Gateway gateway, String name) {
        return Tenant.find(gateway, name).orElseThrow(() -> ApiException.notFound("tenant", name));
    }

    /**
     * Wakes every proxy instance's listener (the release channel: one LISTEN per instance serves both), which
     * runs TenantSync. Delivered on commit only, so no instance loads a change that was rolled back.
     */
    private static void notifyInstances(String gw) {
        Tenant.getEntityManager().createNativeQuery("select pg_notify(?1, ?2)")
                .setParameter(1, ReleaseService.CHANNEL).setParameter(2, io.gatehouse.release.ReleaseListener.TENANT_PREFIX + gw).getSingleResult();
    }

    static TenantView view(Tenant t) {
        return new TenantView(t.name, t.description,
                t.rateLimitRps == null ? null : new RateLimit(t.rateLimitRps, t.rateLimitBurst), t.updatedAt);
    }

    static KeyView keyView(TenantApiKey k) {
        OffsetDateTime now = OffsetDateTime.now();
        String status = k.revokedAt != null ? "revoked"
                : k.expiresAt != null && !k.expiresAt.isAfter(now) ? "expired" : "active";
        return new KeyView(k.id, k.name, k.prefix, k.createdBy, k.createdAt, k.expiresAt, k.lastUsedAt, k.revokedAt,
                status);
    }
}
