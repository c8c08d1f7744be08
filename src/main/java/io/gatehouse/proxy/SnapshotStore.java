package io.gatehouse.proxy;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The live snapshot of every gateway stage. A request reads its stage's snapshot once and keeps that
 * reference to the end, so {@link #apply} (one atomic put per stage) never changes a request in
 * flight and never blocks one. Listeners (the health checker) hear of every change after it is
 * visible. Thread-safe; apply and remove may come from any thread.
 */
public final class SnapshotStore {

    private final ConcurrentHashMap<String, StageSnapshot> byKey = new ConcurrentHashMap<>();
    private final List<Consumer<SnapshotStore>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean loaded;

    /** The snapshot for {@code gateway/stage} (see {@link StageSnapshot#key}), or null. */
    public StageSnapshot get(String key) {
        return byKey.get(key);
    }

    public StageSnapshot get(String gateway, String stage) {
        return byKey.get(StageSnapshot.key(gateway, stage));
    }

    /** Makes {@code snapshot} its stage's live one; returns the one it replaced, or null. */
    public StageSnapshot apply(StageSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        StageSnapshot previous = byKey.put(snapshot.key(), snapshot);
        changed();
        return previous;
    }

    /** Stops serving a stage (deleted stage or gateway); its URLs then answer 404. */
    public StageSnapshot remove(String gateway, String stage) {
        StageSnapshot previous = byKey.remove(StageSnapshot.key(gateway, stage));
        if (previous != null) {
            changed();
        }
        return previous;
    }

    public Collection<StageSnapshot> all() {
        return List.copyOf(byKey.values());
    }

    /** The URL of every host some live snapshot may send to: what the host registry must remember. */
    public Set<String> hostUrls() {
        Set<String> urls = new HashSet<>();
        for (StageSnapshot snapshot : byKey.values()) {
            urls.addAll(hostUrls(snapshot));
        }
        return urls;
    }

    /** The member URL of every host {@code snapshot} may send to now (one per address of a discovered name). */
    public static Set<String> hostUrls(StageSnapshot snapshot) {
        Set<String> urls = new HashSet<>();
        for (Upstream up : snapshot.upstreams()) {
            urls.addAll(up.live().memberUrls());
        }
        return urls;
    }

    /**
     * A live snapshot's pools changed members in place (DNS discovery found new addresses, no release): the
     * listeners (probes, registry, metrics) follow as after an apply.
     */
    public void membersChanged() {
        changed();
    }

    public Map<String, StageSnapshot> view() {
        return Map.copyOf(byKey);
    }

    /**
     * Called once every stage's snapshot has been applied at boot; readiness reports UP only after
     * it, so a load balancer never sends traffic to a proxy that would answer 404 for live stages.
     */
    public void markLoaded() {
        loaded = true;
    }

    public boolean loaded() {
        return loaded;
    }

    /** Runs {@code listener} after every apply or remove (on the caller's thread) and once now. */
    public void addListener(Consumer<SnapshotStore> listener) {
        listeners.add(listener);
        listener.accept(this);
    }

    public void removeListener(Consumer<SnapshotStore> listener) {
        listeners.remove(listener);
    }

    private void changed() {
        for (Consumer<SnapshotStore> l : listeners) {
            l.accept(this);
        }
    }
}
