package io.gatehouse.release;

import io.gatehouse.balance.Balancer;
import io.gatehouse.balance.HostStatus;
import io.gatehouse.proxy.SnapshotStore;
import io.gatehouse.proxy.StageSnapshot;
import io.gatehouse.proxy.Upstream;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes one instance's view of its hosts to {@code host_health}, so every instance's "why is this host
 * down" can be read from one place. Only what changed since the last write is sent: the caller runs it on
 * the release poll's thread (never an event loop, never per request), so the rate is bounded by the poll
 * interval whatever the traffic. The instance's own heartbeat keeps its rows live. Plain JDBC, no CDI.
 */
public final class HostHealthWriter {
    private static final Logger LOG = Logger.getLogger(HostHealthWriter.class);

    /** One host of one stage as this instance sees it. */
    public record Key(String gateway, String stage, String url) {
    }

    /** @param reason why it is down, or how it came back; null when nothing happened to it */
    public record State(boolean up, long sinceMillis, String reason) {
    }

    private final DataSource db;
    private final String instanceId;
    private Map<Key, State> written = Map.of(); // only the poll thread writes; synchronized for close()
    private boolean failing;

    public HostHealthWriter(DataSource db, String instanceId) {
        this.db = Objects.requireNonNull(db, "db");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
    }

    /** Upserts the hosts whose state differs from the last write and deletes the ones no longer served. */
    public synchronized void write(Map<Key, State> now) {
        Map<Key, State> changed = new HashMap<>();
        now.forEach((k, s) -> {
            if (!s.equals(written.get(k))) {
                changed.put(k, s);
            }
        });
        var gone = written.keySet().stream().filter(k -> !now.containsKey(k)).toList();
        if (changed.isEmpty() && gone.isEmpty()) {
            return;
        }
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement up = c.prepareStatement("""
                    insert into host_health (instance_id, gateway, stage, url, up, since, reason)
                    values (?, ?, ?, ?, ?, ?, ?)
                    on conflict (instance_id, gateway, stage, url)
                    do update set up = excluded.up, since = excluded.since, reason = excluded.reason""");
                 PreparedStatement del = c.prepareStatement(
                         "delete from host_health where instance_id = ? and gateway = ? and stage = ? and url = ?")) {
                for (Map.Entry<Key, State> e : changed.entrySet()) {
                    up.setString(1, instanceId);
                    up.setString(2, e.getKey().gateway());
                    up.setString(3, e.getKey().stage());
                    up.setString(4, e.getKey().url());
                    up.setBoolean(5, e.getValue().up());
                    up.setTimestamp(6, new Timestamp(e.getValue().sinceMillis()));
                    up.setString(7, e.getValue().reason());
                    up.addBatch();
                }
                for (Key k : gone) {
                    del.setString(1, instanceId);
                    del.setString(2, k.gateway());
                    del.setString(3, k.stage());
                    del.setString(4, k.url());
                    del.addBatch();
                }
                up.executeBatch();
                del.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
            written = Map.copyOf(now);
            if (failing) {
                failing = false;
                LOG.infof("host health of %s is written again", instanceId);
            }
        } catch (SQLException e) {
            // Nothing lost: the next poll compares against what was last written and sends it all again.
            if (!failing) {
                failing = true;
                LOG.warnf("could not write host health of %s: %s", instanceId, e.getMessage());
            }
        }
    }

    /**
     * How an instance sees every host of every stage it serves: down when any pool of the stage (the stage's
     * own, a tenant's, an override's) sees it down, with that pool's reason and since when.
     */
    public static Map<Key, State> seenIn(SnapshotStore store) {
        Map<Key, State> out = new HashMap<>();
        for (StageSnapshot snapshot : store.all()) {
            for (Upstream up : snapshot.upstreams()) {
                List<Balancer> pools = new ArrayList<>(up.pools().tenantPools().values());
                pools.add(0, up.pools().defaults());
                for (Balancer pool : pools) {
                    for (int i = 0; i < pool.hosts().size(); i++) {
                        HostStatus st = pool.status(i);
                        State state = new State(st.up(), st.sinceMillis(), st.reason());
                        out.merge(new Key(snapshot.gateway(), snapshot.stage(), st.url()), state,
                                (a, b) -> a.up() && !b.up() ? b : a);
                    }
                }
            }
        }
        return out;
    }
}
