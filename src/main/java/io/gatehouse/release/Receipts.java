package io.gatehouse.release;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.util.ArrayList;
import java.util.List;

/** Reads the receipts instances write: which release each live instance serves for a stage. */
@ApplicationScoped
public class Receipts {
    /** An instance whose heartbeat is older than this is taken for dead and no longer counted. */
    public static final int LIVE_SECONDS = 15;

    private final EntityManager em;

    public Receipts(EntityManager em) {
        this.em = em;
    }

    public LiveStatus live(long stageId, long releaseId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select i.id, r.release_id
                          from proxy_instance i
                          left join release_receipt r on r.instance_id = i.id and r.stage_id = ?1
                         where i.heartbeat_at > now() - make_interval(secs => ?2)
                         order by i.id""")
                .setParameter(1, stageId).setParameter(2, LIVE_SECONDS).getResultList();
        int on = 0;
        List<String> lagging = new ArrayList<>();
        for (Object[] row : rows) {
            if (row[1] != null && ((Number) row[1]).longValue() == releaseId) {
                on++;
            } else {
                lagging.add((String) row[0]);
            }
        }
        return new LiveStatus(on, rows.size(), lagging);
    }
}
