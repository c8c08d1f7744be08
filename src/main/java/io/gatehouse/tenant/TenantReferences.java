package io.gatehouse.tenant;

import io.gatehouse.common.NameRules;
import io.gatehouse.gateway.Gateway;
import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.stage.BackendConfig;
import io.gatehouse.common.Violations;
import jakarta.persistence.EntityManager;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which config names a tenant: tenant pools of stages and of resource overrides, and resources' tenant rules,
 * in drafts and in live releases. The API checks that config names only declared tenants (a 422 naming the
 * field) and refuses to delete a tenant something still routes (409 naming where).
 */
public final class TenantReferences {

    private TenantReferences() {
    }

    /** The gateway's declared tenant names. */
    public static Set<String> declared(Gateway gateway) {
        Set<String> names = new HashSet<>();
        Tenant.listFor(gateway).forEach(t -> names.add(t.name));
        return names;
    }

    /** Adds a violation for every tenant pool of {@code config} (at {@code prefix}) that names no declared tenant. */
    public static void checkPools(BackendConfig config, String prefix, Set<String> declared, Violations v) {
        if (config == null || config.tenantPools() == null) {
            return;
        }
        for (String tenant : new TreeMap<>(config.tenantPools()).keySet()) {
            if (NameRules.isTenantName(tenant) && !declared.contains(tenant)) {
                v.add(Violations.join(prefix, "tenant_pools." + tenant), "names no tenant of this gateway;"
                        + " declare it first (PUT /api/v1/gateways/{gw}/tenants/" + tenant + ")");
            }
        }
    }

    /** As {@link #checkPools} for every override of a resource, and its tenant rule. */
    public static void checkResource(ResourceSpec spec, String prefix, Set<String> declared, Violations v) {
        if (spec.overrides() != null) {
            for (Map.Entry<String, BackendConfig> e : new TreeMap<>(spec.overrides()).entrySet()) {
                checkPools(e.getValue(), Violations.join(prefix, "overrides." + e.getKey()), declared, v);
            }
        }
        if (spec.tenants() != null && spec.tenants().allowed() != null) {
            List<String> allowed = spec.tenants().allowed();
            for (int i = 0; i < allowed.size(); i++) {
                String t = allowed.get(i);
                if (NameRules.isTenantName(t) && !declared.contains(t)) {
                    v.add(Violations.join(prefix, "tenants.allowed[" + i + "]"), "names no tenant of this gateway");
                }
            }
        }
    }

    /**
     * Where {@code tenant} is still named: stages whose live (latest) release routes it, then draft stages and
     * resources. Empty when the tenant may go.
     */
    @SuppressWarnings("unchecked")
    public static List<String> uses(EntityManager em, Gateway gateway, String tenant) {
        List<String> uses = new ArrayList<>();
        List<String> live = em.createNativeQuery("""
                select s.name from stage s
                  join lateral (select r.backend, r.resources from release r where r.stage_id = s.id
                                order by r.number desc limit 1) r on true
                 where s.gateway_id = ?1
                   and (jsonb_exists(coalesce(r.backend -> 'tenant_pools', '{}'::jsonb), ?2)
                        or exists (select 1 from jsonb_each(r.resources) res
                                    where jsonb_exists(coalesce(res.value -> 'overrides' -> s.name -> 'tenant_pools',
                                                                '{}'::jsonb), ?2)
                                       or jsonb_exists(coalesce(res.value -> 'tenants' -> 'allowed', '[]'::jsonb), ?2)))
                 order by s.name""").setParameter(1, gateway.id).setParameter(2, tenant).getResultList();
        live.forEach(s -> uses.add("the live release of stage " + s));
        List<String> stages = em.createNativeQuery("""
                select name from stage where gateway_id = ?1
                   and jsonb_exists(coalesce(backend -> 'tenant_pools', '{}'::jsonb), ?2) order by name""")
                .setParameter(1, gateway.id).setParameter(2, tenant).getResultList();
        stages.forEach(s -> uses.add("stage " + s));
        List<String> resources = em.createNativeQuery("""
                select r.name from api_resource r where r.gateway_id = ?1
                   and (exists (select 1 from jsonb_each(r.overrides) o
                                 where jsonb_exists(coalesce(o.value -> 'tenant_pools', '{}'::jsonb), ?2))
                        or jsonb_exists(coalesce(r.tenants -> 'allowed', '[]'::jsonb), ?2))
                 order by r.name""").setParameter(1, gateway.id).setParameter(2, tenant).getResultList();
        resources.forEach(r -> uses.add("resource " + r));
        return uses;
    }
}
