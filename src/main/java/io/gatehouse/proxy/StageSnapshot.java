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
 * @param release       the number of the stage's release it serves (1 and up), or {@link #NO_RELEASE} when it was
 *                      compiled from something else (a draft checked by the compile gate, a test)
 * @param stageUpstream the stage's own backend config compiled, or null when that config is invalid (then
 *                      only resources with a valid override of their own are served); a route uses an
 *                      override exactly when its upstream is another instance
 * @param problems      resources the compile left out and why, sorted; empty for a clean compile
 */
public record StageSnapshot(String gateway, String stage, int release, Router router, Map<String, Route> routes,
                            Upstream stageUpstream, List<Upstream> upstreams, List<String> problems) {

    /** The {@link #release} of a snapshot not compiled from a release. */
    public static final int NO_RELEASE = 0;

    public StageSnapshot {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(router, "router");
        if (release < NO_RELEASE) {
            throw new IllegalArgumentException("release numbers start at 1: " + release);
        }
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
