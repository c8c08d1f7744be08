package io.gatehouse.release;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import java.util.ArrayList;
import java.util.List;

/** Reads the receipts instances write: which release each live instance serves for a stage. */
@ApplicationScoped
public class Receipts {
    /** An instance whose heartbeat is older than this is taken for dead and no longer counted. */
    public static final int LIVE_SECONDS = 15;

    /**
     * How long a release answer waits for the live instances to apply it: NOTIFY makes that milliseconds
     * (docs/benchmarks.md, "Publishing propagation"), so this only bounds a slow or dead instance.
     */
    static final Duration SETTLE = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger(Receipts.class);

    private final EntityManager em;
    private final AgroalDataSource db;

    public Receipts(EntityManager em, AgroalDataSource db) {
        this.em = em;
        this.db = db;
    }

    /**
     * The release's live status once every live instance serves it, or after {@link #SETTLE} with
     * {@code pending} true. Called after the release's transaction committed (instances only hear of it then),
     * on plain JDBC so no transaction stays open while it waits.
     */
    public LiveStatus settle(String gateway, String stage, int number) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        LiveStatus status = null;
        try {
            while (true) {
                status = liveByNumber(gateway, stage, number);
                if (!status.pending() || System.nanoTime() - deadline > 0) {
                    return status;
                }
                Thread.sleep(10);
            }
        } catch (SQLException e) {
            LOG.warnf("could not read the receipts of release %d of %s/%s: %s", number, gateway, stage, e.getMessage());
            return status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return status;
        }
    }

    private LiveStatus liveByNumber(String gateway, String stage, int number) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                select i.id, rr.release_id = rel.id
                  from proxy_instance i
                  cross join (select r.id, r.stage_id from release r join stage s on s.id = r.stage_id
                                join gateway g on g.id = s.gateway_id
                               where g.name = ? and s.name = ? and r.number = ?) rel
                  left join release_receipt rr on rr.instance_id = i.id and rr.stage_id = rel.stage_id
                 where i.heartbeat_at > now() - make_interval(secs => ?)
                 order by i.id""")) {
            s.setString(1, gateway);
            s.setString(2, stage);
            s.setInt(3, number);
            s.setInt(4, LIVE_SECONDS);
            int on = 0;
            int of = 0;
            List<String> lagging = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    of++;
                    if (rs.getBoolean(2)) {
                        on++;
                    } else {
                        lagging.add(rs.getString(1));
                    }
                }
            }
            return new LiveStatus(on, of, lagging);
        }
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
