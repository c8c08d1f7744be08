package io.gatehouse.release;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.common.JsonColumns;
import io.gatehouse.common.JsonDiff;
import io.gatehouse.common.JsonDiff.ResourcesDiff;
import io.gatehouse.gateway.Gateway;
import io.gatehouse.gateway.GatewayTouch;
import io.gatehouse.resource.ResourceService;
import io.gatehouse.stage.Stage;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each stage's draft resources would change against the release it serves, remembered per stage for its
 * (release, draft revision). A release never changes, and every change of a gateway's draft takes a new draft
 * revision in its own transaction (gateway.GatewayTouch), so an answer holds until one of the two moves.
 * Rebuilding both sides as JSON trees of 10,000 entries was 36 % of the publishing page's CPU at that size
 * (docs/benchmarks.md, "Control plane at scale"), paid on every view of the publishing, stage and resource pages.
 */
@ApplicationScoped
public class DraftDiffs {
    /** The latest release of a stage, without its snapshot. */
    record Latest(long id, int number, int version, String backend) {
    }

    /** {@code release} 0: the stage has none, so the whole draft is added. */
    private record Remembered(long release, long draftRevision, ResourcesDiff diff) {
    }

    /** Stages remembered at most; past it the memory starts again (one diff per stage, so it stays bounded). */
    private static final int STAGES = 256;

    private final Map<Long, Remembered> byStage = new ConcurrentHashMap<>();
    private final JsonColumns json;
    private final ResourceService resources;

    public DraftDiffs(JsonColumns json, ResourceService resources) {
        this.json = json;
        this.resources = resources;
    }

    /** The stage's latest release, or null before its first. */
    static Latest latest(Stage stage) {
        List<?> rows = Release.getEntityManager().createQuery("""
                        select r.id, r.number, r.version.number, r.backend from Release r
                         where r.stage = ?1 order by r.number desc""")
                .setParameter(1, stage).setMaxResults(1).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        Object[] r = (Object[]) rows.get(0);
        return new Latest((Long) r[0], (Integer) r[1], (Integer) r[2], (String) r[3]);
    }

    /**
     * For each stage, its draft resources against {@code lives}' release at the same index (null: none yet).
     * New answers are remembered only if the draft revision did not move while they were computed: under read
     * committed a draft change committed between reading the revision and reading the resources would otherwise
     * be remembered under the older number.
     */
    List<ResourcesDiff> of(Gateway gateway, List<Stage> stages, List<Latest> lives) {
        long revision = GatewayTouch.draftRevision(gateway.id);
        JsonNode draft = null;
        Map<Long, Remembered> found = new HashMap<>();
        List<ResourcesDiff> out = new ArrayList<>(stages.size());
        for (int i = 0; i < stages.size(); i++) {
            Latest live = lives.get(i);
            long release = live == null ? 0 : live.id();
            Remembered known = byStage.get(stages.get(i).id);
            if (known != null && known.release() == release && known.draftRevision() == revision) {
                out.add(known.diff());
                continue;
            }
            if (draft == null) {
                draft = json.read(json.write(resources.specs(gateway)), JsonNode.class);
            }
            JsonNode from = json.read(live == null ? "{}" : snapshot(live.id()), JsonNode.class);
            ResourcesDiff diff = JsonDiff.resources(from, draft);
            found.put(stages.get(i).id, new Remembered(release, revision, diff));
            out.add(diff);
        }
        if (!found.isEmpty() && GatewayTouch.draftRevision(gateway.id) == revision) {
            if (byStage.size() + found.size() > STAGES) {
                byStage.clear();
            }
            byStage.putAll(found);
        }
        return out;
    }

    private static String snapshot(long releaseId) {
        return Release.getEntityManager().createQuery("select r.resources from Release r where r.id = ?1", String.class)
                .setParameter(1, releaseId).getSingleResult();
    }
}
