package io.gatehouse.proxy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the proxy knows about one gateway stage, compiled once and never changed: the router,
 * the routes by resource name, the distinct upstreams (for the health checker), and the problems the
 * compile skipped. A request reads one snapshot from start to end, so a publish never changes a
 * request half-way.
 *
 * @param revision      what it was compiled from (e.g. a release id), or null; shown, never interpreted
 * @param stageUpstream the stage's own backend config compiled, or null when that config is invalid (then
 *                      only resources with a valid override of their own are served); a route uses an
 *                      override exactly when its upstream is another instance
 * @param problems      resources the compile left out and why, sorted; empty for a clean compile
 */
public record StageSnapshot(String gateway, String stage, String revision, Router router, Map<String, Route> routes,
                            Upstream stageUpstream, List<Upstream> upstreams, List<String> problems) {

    public StageSnapshot {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(router, "router");
        routes = Map.copyOf(routes);
        upstreams = List.copyOf(upstreams);
        problems = List.copyOf(problems);
        if (stageUpstream != null && !upstreams.contains(stageUpstream)) {
            throw new IllegalArgumentException("the stage upstream must be one of the upstreams");
        }
    }

    /** The key of a stage in {@link SnapshotStore}: {@code gateway/stage}, as the public URL spells it. */
    public static String key(String gateway, String stage) {
        return gateway + "/" + stage;
    }

    public String key() {
        return key(gateway, stage);
    }
}
