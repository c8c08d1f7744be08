package io.gatehouse.release;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.balance.AdminState;
import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.stage.BackendConfig;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Brings one instance's proxy to every stage's latest release. Boot, each NOTIFY and each poll all run
 * the same {@link #sync()}: read the latest release id per stage (one indexed query), load and apply
 * only what changed, drop stages that are gone, and write a receipt per applied release. The
 * notification is only a wake-up; the database is the truth, so a missed one costs one poll interval.
 * Plain JDBC and no CDI, so a test can run several instances in one JVM.
 */
public final class ReleaseSync {
    private static final Logger LOG = Logger.getLogger(ReleaseSync.class);
    private static final TypeReference<Map<String, ResourceSpec>> RESOURCES = new TypeReference<>() {
    };

    /** A release as the proxy needs it; {@code createdAt} is the database's clock at publish. */
    public record LoadedRelease(long releaseId, long stageId, String gateway, String stage, int number,
                                BackendConfig backend, Map<String, ResourceSpec> resources, Instant createdAt) {
    }

    /** Where releases go: the proxy compiles and swaps them in. */
    public interface Applier {
        void apply(LoadedRelease release);

        void remove(String gateway, String stage);

        /**
         * The operators' host states of every gateway (gateway name to canonical URL to state; active hosts
         * are absent), after each sync in which they changed.
         */
        default void hostStates(Map<String, Map<String, AdminState>> byGateway) {
        }
    }

    private record Applied(long releaseId, String gateway, String stage) {
    }

    private final DataSource db;
    private final ObjectMapper mapper;
    private final String instanceId;
    private final String mode;
    private final Applier applier;
    private final Map<Long, Applied> applied = new HashMap<>();
    private Map<String, Map<String, AdminState>> hostStates;

    public ReleaseSync(DataSource db, ObjectMapper mapper, String instanceId, String mode, Applier applier) {
        this.db = db;
        this.mapper = mapper;
        this.instanceId = instanceId;
        this.mode = mode;
        this.applier = applier;
    }

    public String instanceId() {
        return instanceId;
    }

    /** Registers this instance (or revives its row) so it counts in "live on N of M". */
    public void register() throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("""
                insert into proxy_instance (id, mode) values (?, ?)
                on conflict (id) do update set mode = excluded.mode, heartbeat_at = now()""")) {
            s.setString(1, instanceId);
            s.setString(2, mode);
            s.executeUpdate();
        }
    }

    public void heartbeat() throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("update proxy_instance set heartbeat_at = now() where id = ?")) {
            s.setString(1, instanceId);
            if (s.executeUpdate() == 0) {
                register();
            }
        }
    }

    /** Leaves the live count at once rather than after the heartbeat ages out. */
    public void deregister() throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("delete from proxy_instance where id = ?")) {
            s.setString(1, instanceId);
            s.executeUpdate();
        }
    }

    /** Applies whatever changed since the last sync; returns how many stages were applied or removed. */
    public synchronized int sync() throws SQLException {
        int changes = 0;
        try (Connection c = db.getConnection()) {
            Set<Long> seen = new HashSet<>();
            try (PreparedStatement s = c.prepareStatement("""
                    select distinct on (r.stage_id) r.id, r.stage_id, r.number, g.name, s.name
                      from release r join stage s on s.id = r.stage_id join gateway g on g.id = s.gateway_id
                     order by r.stage_id, r.number desc""");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long releaseId = rs.getLong(1);
                    long stageId = rs.getLong(2);
                    seen.add(stageId);
                    Applied current = applied.get(stageId);
                    if (current == null || current.releaseId() != releaseId) {
                        LoadedRelease release = load(c, releaseId, stageId, rs.getInt(3), rs.getString(4), rs.getString(5));
                        applier.apply(release);
                        applied.put(stageId, new Applied(releaseId, release.gateway(), release.stage()));
                        receipt(c, stageId, releaseId);
                        changes++;
                    }
                }
            }
            for (var it = applied.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, Applied> e = it.next();
                if (!seen.contains(e.getKey())) {
                    applier.remove(e.getValue().gateway(), e.getValue().stage());
                    it.remove();
                    changes++;
                }
            }
            Map<String, Map<String, AdminState>> states = hostStates(c);
            if (!states.equals(hostStates)) {
                hostStates = states;
                applier.hostStates(states);
                changes++;
            }
        }
        return changes;
    }

    /** Every non-active host state (a few rows: hosts an operator has taken out), read whole on each sync. */
    private static Map<String, Map<String, AdminState>> hostStates(Connection c) throws SQLException {
        Map<String, Map<String, AdminState>> byGateway = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(
                "select g.name, h.url, h.state from host_state h join gateway g on g.id = h.gateway_id");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                byGateway.computeIfAbsent(rs.getString(1), g -> new HashMap<>())
                        .put(rs.getString(2), AdminState.fromWireName(rs.getString(3)));
            }
        }
        byGateway.replaceAll((g, m) -> Map.copyOf(m));
        return Map.copyOf(byGateway);
    }

    private LoadedRelease load(Connection c, long releaseId, long stageId, int number, String gateway, String stage)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select backend::text, resources::text, created_at from release where id = ?")) {
            s.setLong(1, releaseId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new LoadedRelease(releaseId, stageId, gateway, stage, number,
                        mapper.readValue(rs.getString(1), BackendConfig.class),
                        mapper.readValue(rs.getString(2), RESOURCES), rs.getTimestamp(3).toInstant());
            }
        } catch (IOException e) {
            throw new IllegalStateException("release " + releaseId + " does not parse", e);
        }
    }

    private void receipt(Connection c, long stageId, long releaseId) {
        try (PreparedStatement s = c.prepareStatement("""
                insert into release_receipt (instance_id, stage_id, release_id, applied_at) values (?, ?, ?, ?)
                on conflict (instance_id, stage_id)
                do update set release_id = excluded.release_id, applied_at = excluded.applied_at""")) {
            s.setString(1, instanceId);
            s.setLong(2, stageId);
            s.setLong(3, releaseId);
            s.setTimestamp(4, Timestamp.from(Instant.now()));
            s.executeUpdate();
        } catch (SQLException e) {
            // The release is served either way; a missing receipt only shows this instance as lagging.
            LOG.warnf("could not record receipt of release %d on %s: %s", releaseId, instanceId, e.getMessage());
        }
    }
}
