package io.gatehouse.tenant;

import io.gatehouse.tenant.TenantDirectory.ApiKey;
import io.gatehouse.tenant.TenantDirectory.RateLimit;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Brings one proxy instance's {@link TenantDirectory} up to date: on boot, on every NOTIFY (tenant and key
 * changes notify the release channel's listener too) and on every poll. Each sync reads one counter
 * ({@code tenant_revision}, moved by triggers) and reloads tenants and keys whole only when it moved, so a
 * revoked key is gone from every instance within a NOTIFY's delivery. Also writes keys' last use in batches
 * (never a write per request) and counts the live instances that share rate limits. Plain JDBC, no CDI.
 */
public final class TenantSync {

    private final DataSource db;
    private final Consumer<TenantDirectory> applier;
    private final Map<Long, Long> flushed = new HashMap<>();
    private volatile TenantDirectory current = TenantDirectory.EMPTY;

    public TenantSync(DataSource db, Consumer<TenantDirectory> applier) {
        this.db = db;
        this.applier = applier;
    }

    public TenantDirectory current() {
        return current;
    }

    /** Reloads when the revision moved; returns whether it did. */
    public synchronized boolean sync() throws SQLException {
        try (Connection c = db.getConnection()) {
            long revision;
            try (PreparedStatement s = c.prepareStatement("select revision from tenant_revision where id = 1");
                 ResultSet rs = s.executeQuery()) {
                rs.next();
                revision = rs.getLong(1);
            }
            if (revision == current.revision()) {
                return false;
            }
            // Keys about to go (revoked, deleted) take their last use with them unless it is written now.
            flushUsage(c);
            TenantDirectory loaded = load(c, revision);
            current = loaded;
            applier.accept(loaded);
            return true;
        }
    }

    private TenantDirectory load(Connection c, long revision) throws SQLException {
        Map<String, Map<String, RateLimit>> gateways = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                select g.name, t.name, t.rate_limit_rps, t.rate_limit_burst
                  from tenant t join gateway g on g.id = t.gateway_id""");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                int rps = rs.getInt(3);
                RateLimit limit = rs.wasNull() ? RateLimit.NONE : new RateLimit(rps, rs.getInt(4));
                gateways.computeIfAbsent(rs.getString(1), g -> new HashMap<>()).put(rs.getString(2), limit);
            }
        }
        gateways.replaceAll((g, tenants) -> Map.copyOf(tenants));
        Map<String, ApiKey> keys = new HashMap<>();
        Map<Long, ApiKey> previous = new HashMap<>();
        current.keys().values().forEach(k -> previous.put(k.id(), k));
        try (PreparedStatement s = c.prepareStatement("""
                select k.id, k.key_hash, g.name, t.name, k.expires_at
                  from tenant_api_key k join tenant t on t.id = k.tenant_id join gateway g on g.id = t.gateway_id
                 where k.revoked_at is null""");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                Timestamp expires = rs.getTimestamp(5);
                ApiKey key = new ApiKey(rs.getLong(1), rs.getString(3), rs.getString(4),
                        expires == null ? Long.MAX_VALUE : expires.getTime());
                key.carryUsage(previous.get(key.id()));
                keys.put(rs.getString(2), key);
            }
        }
        return new TenantDirectory(revision, gateways, keys);
    }

    /**
     * Writes the last use of every key used since the previous flush, in one batch; returns how many. A key
     * used on several instances gets the latest of their times ({@code greatest}).
     */
    public synchronized int flushUsage() throws SQLException {
        try (Connection c = db.getConnection()) {
            return flushUsage(c);
        }
    }

    private int flushUsage(Connection c) throws SQLException {
        Map<Long, Long> due = new HashMap<>();
        for (ApiKey key : current.keys().values()) {
            long used = key.lastUsedMillis();
            if (used > 0 && used > flushed.getOrDefault(key.id(), 0L)) {
                due.put(key.id(), used);
            }
        }
        if (due.isEmpty()) {
            return 0;
        }
        try (PreparedStatement s = c.prepareStatement("""
                update tenant_api_key set last_used_at = greatest(last_used_at, ?) where id = ?""")) {
            for (Map.Entry<Long, Long> e : due.entrySet()) {
                s.setTimestamp(1, Timestamp.from(Instant.ofEpochMilli(e.getValue())));
                s.setLong(2, e.getKey());
                s.addBatch();
            }
            s.executeBatch();
        }
        flushed.putAll(due);
        return due.size();
    }

    /** Proxy instances with a recent heartbeat (this one included once registered); at least 1. */
    public int liveInstances(int liveSeconds) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "select count(*) from proxy_instance where heartbeat_at > now() - make_interval(secs => ?)")) {
            s.setInt(1, liveSeconds);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return Math.max(1, rs.getInt(1));
            }
        }
    }
}
