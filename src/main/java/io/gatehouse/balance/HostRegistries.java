package io.gatehouse.balance;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every scope's {@link HostRegistry} of one proxy instance, one per gateway stage, and the probe results
 * they share. Health never crosses gateways: one gateway's connect failures, in-flight counts and
 * latencies never change another gateway's routing (Envoy keeps outlier detection per cluster, nginx
 * per upstream block, for the same reason); only identical active probes share results
 * ({@link Probes}). A stage's registry outlives its publishes and is dropped with the stage.
 */
public final class HostRegistries {

    private final ConcurrentHashMap<String, HostRegistry> scopes = new ConcurrentHashMap<>();
    private final Probes probes = new Probes();
    private final HostRegistry.PassiveListener listener;
    private volatile Map<String, Map<String, AdminState>> admin = Map.of();

    public HostRegistries() {
        this(HostRegistry.PassiveListener.NONE);
    }

    /** @param listener hears passive marks take a host down in any scope (the cool-down timer) */
    public HostRegistries(HostRegistry.PassiveListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** The registry of {@code gateway/stage}, created on first use. */
    public HostRegistry of(String gateway, String stage) {
        String scope = gateway + "/" + stage;
        HostRegistry r = scopes.get(scope);
        return r != null ? r : scopes.computeIfAbsent(scope, s -> {
            HostRegistry created = new HostRegistry(s, probes, listener, System::nanoTime);
            created.admin(admin.getOrDefault(gateway, Map.of()));
            return created;
        });
    }

    /**
     * The operators' host states of every gateway (gateway to URL to state; absent is active). Unlike
     * health they are per gateway, not per stage: draining a host takes it out of every pool of the
     * gateway, and of no other gateway.
     */
    public void admin(Map<String, Map<String, AdminState>> byGateway) {
        admin = Map.copyOf(byGateway);
        scopes.forEach((scope, registry) -> registry.admin(
                admin.getOrDefault(scope.substring(0, scope.lastIndexOf('/')), Map.of())));
    }

    /** The registry of scope {@code gateway/stage} if known, else null. */
    public HostRegistry find(String scope) {
        return scopes.get(scope);
    }

    public Probes probes() {
        return probes;
    }

    /** Drops every scope not in {@code liveScopes} (stages no longer served). */
    public void retainOnly(Collection<String> liveScopes) {
        Set<String> keep = Set.copyOf(liveScopes);
        scopes.keySet().removeIf(s -> !keep.contains(s));
    }

    public Map<String, HostRegistry> view() {
        return Map.copyOf(scopes);
    }

    /** How many host states all scopes hold together. */
    public int size() {
        return scopes.values().stream().mapToInt(HostRegistry::size).sum();
    }
}
