package io.gatehouse.auth;

import io.gatehouse.GatehouseConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Limits password guessing (console form login and HTTP Basic alike), in the manner of OWASP's
 * "Blocking Brute Force Attacks": after {@code maxFailures} failed sign-ins for one username from one client
 * address within {@code window}, that pair is refused for {@code lockout} without the password even being
 * checked, so the right password is refused too; and {@code maxFailuresPerIp} failures from one address over
 * all usernames lock the address, against spraying one password over many names. A success ends nothing
 * early: a lock always runs its full time (a success before the lock clears only that pair's count).
 * <p>
 * State is in memory, per process (several consoles each count on their own), and bounded: each map keeps
 * at most {@code maxTracked} keys, dropping the one least recently failed. Failure times are kept per key
 * (at most the limit of them), so the window slides exactly. The clock is a parameter: tests build a throttle on one they move.
 */
@ApplicationScoped
public class LoginThrottle {
    public record Limits(int maxFailures, int maxFailuresPerIp, Duration window, Duration lockout, int maxTracked) {
        public Limits {
            if (maxFailures < 1 || maxFailuresPerIp < 1 || maxTracked < 1 || window.isNegative() || window.isZero()
                    || lockout.isNegative()) {
                throw new IllegalArgumentException("gatehouse.login.* limits must be positive");
            }
        }
    }

    /** Failures inside the window, oldest first, and the end of a lock if one is running. */
    private static final class Record {
        final ArrayDeque<Long> failures = new ArrayDeque<>();
        long lockedUntil;
        boolean locked;
    }

    private final Limits limits;
    private final LongSupplier nanoClock;
    private final Map<String, Record> byUserAndIp;
    private final Map<String, Record> byIp;

    @Inject
    public LoginThrottle(GatehouseConfig config) {
        this(new Limits(config.login().maxFailures(), config.login().maxFailuresPerIp(), config.login().window(),
                config.login().lockout(), config.login().maxTracked()), System::nanoTime);
    }

    public LoginThrottle(Limits limits, LongSupplier nanoClock) {
        this.limits = limits;
        this.nanoClock = nanoClock;
        this.byUserAndIp = bounded(limits.maxTracked());
        this.byIp = bounded(limits.maxTracked());
    }

    private static Map<String, Record> bounded(int max) {
        // Access order: the entry touched longest ago goes first when the map is full.
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Record> eldest) {
                return size() > max;
            }
        };
    }

    /** 0 when a sign-in for this username from this address may be tried; else the seconds to wait. */
    public synchronized long retryAfterSeconds(String username, String ip) {
        long now = nanoClock.getAsLong();
        long wait = Math.max(remaining(byIp.get(ip), now), remaining(byUserAndIp.get(key(username, ip)), now));
        return wait <= 0 ? 0 : (wait + 999_999_999L) / 1_000_000_000L;
    }

    public synchronized void failed(String username, String ip) {
        long now = nanoClock.getAsLong();
        count(byUserAndIp, key(username, ip), limits.maxFailures(), now);
        count(byIp, ip, limits.maxFailuresPerIp(), now);
    }

    /** A good password: forgets this pair's earlier failures; a running lock (never reached here) stays. */
    public synchronized void succeeded(String username, String ip) {
        String key = key(username, ip);
        Record r = byUserAndIp.get(key);
        if (r != null && !r.locked) {
            byUserAndIp.remove(key);
        }
    }

    private void count(Map<String, Record> map, String key, int max, long now) {
        Record r = map.computeIfAbsent(key, k -> new Record());
        if (r.locked && r.lockedUntil - now > 0) {
            return;
        }
        r.locked = false;
        long windowStart = now - limits.window().toNanos();
        while (!r.failures.isEmpty() && r.failures.peekFirst() - windowStart <= 0) {
            r.failures.pollFirst();
        }
        r.failures.addLast(now);
        if (r.failures.size() >= max) {
            r.failures.clear();
            r.locked = true;
            r.lockedUntil = now + limits.lockout().toNanos();
        }
    }

    private static long remaining(Record r, long now) {
        return r == null || !r.locked ? 0 : r.lockedUntil - now;
    }

    private static String key(String username, String ip) {
        return (username == null ? "" : username.toLowerCase(Locale.ROOT)) + "\n" + ip;
    }
}
