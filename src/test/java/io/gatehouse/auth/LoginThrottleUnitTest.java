package io.gatehouse.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The throttle's rules exactly, on a clock the test moves (no Quarkus, no sleeping). */
class LoginThrottleUnitTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private LoginThrottle throttle = new LoginThrottle(
            new LoginThrottle.Limits(5, 30, Duration.ofMinutes(5), Duration.ofMinutes(5), 10_000), now::get);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    private void fail(String user, String ip, int times) {
        for (int i = 0; i < times; i++) {
            assertEquals(0, throttle.retryAfterSeconds(user, ip), "attempt " + (i + 1) + " of " + user + " is allowed");
            throttle.failed(user, ip);
        }
    }

    @Test
    void fiveFailuresLockThePairForTheFullCoolDown() {
        fail("alice", "10.0.0.1", 5);
        assertEquals(300, throttle.retryAfterSeconds("alice", "10.0.0.1"));
        assertEquals(300, throttle.retryAfterSeconds("ALICE", "10.0.0.1"), "usernames count case-insensitively");
        // Only that pair: the name from elsewhere, and others from here, go on.
        assertEquals(0, throttle.retryAfterSeconds("alice", "10.0.0.2"));
        assertEquals(0, throttle.retryAfterSeconds("bob", "10.0.0.1"));
        advance(Duration.ofMillis(299_500));
        assertEquals(1, throttle.retryAfterSeconds("alice", "10.0.0.1"));
        // A success cannot happen while locked, and telling the throttle of one ends nothing early.
        throttle.succeeded("alice", "10.0.0.1");
        assertEquals(1, throttle.retryAfterSeconds("alice", "10.0.0.1"));
        advance(Duration.ofMillis(500));
        assertEquals(0, throttle.retryAfterSeconds("alice", "10.0.0.1"));
        // After the lock the count starts again from zero.
        fail("alice", "10.0.0.1", 4);
        assertEquals(0, throttle.retryAfterSeconds("alice", "10.0.0.1"));
    }

    @Test
    void failuresDuringALockDoNotExtendIt() {
        fail("alice", "ip", 5);
        advance(Duration.ofMinutes(4));
        throttle.failed("alice", "ip");
        assertEquals(60, throttle.retryAfterSeconds("alice", "ip"));
    }

    @Test
    void theWindowSlides() {
        fail("alice", "ip", 4);
        advance(Duration.ofMinutes(5));
        // The four are exactly one window old: they no longer count.
        fail("alice", "ip", 4);
        assertEquals(0, throttle.retryAfterSeconds("alice", "ip"));
        advance(Duration.ofSeconds(1));
        throttle.failed("alice", "ip");
        assertEquals(300, throttle.retryAfterSeconds("alice", "ip"));
    }

    @Test
    void aSuccessBeforeTheLockForgetsThatPairsFailures() {
        fail("alice", "ip", 4);
        throttle.succeeded("alice", "ip");
        fail("alice", "ip", 4);
        assertEquals(0, throttle.retryAfterSeconds("alice", "ip"));
        throttle.failed("alice", "ip");
        assertEquals(300, throttle.retryAfterSeconds("alice", "ip"));
    }

    @Test
    void sprayingOneAddressOverManyNamesLocksTheAddress() {
        for (int i = 0; i < 29; i++) {
            fail("user" + i, "10.9.9.9", 1);
        }
        assertEquals(0, throttle.retryAfterSeconds("fresh", "10.9.9.9"));
        throttle.failed("user29", "10.9.9.9");
        assertEquals(300, throttle.retryAfterSeconds("fresh", "10.9.9.9"));
        assertEquals(0, throttle.retryAfterSeconds("fresh", "10.9.9.8"));
        // A success of someone else from that address does not lift it either.
        throttle.succeeded("fresh", "10.9.9.9");
        assertEquals(300, throttle.retryAfterSeconds("fresh", "10.9.9.9"));
        advance(Duration.ofMinutes(5));
        assertEquals(0, throttle.retryAfterSeconds("fresh", "10.9.9.9"));
    }

    @Test
    void memoryIsBoundedByForgettingTheLeastRecentlyFailed() {
        throttle = new LoginThrottle(new LoginThrottle.Limits(5, 1000, Duration.ofMinutes(5), Duration.ofMinutes(5), 3),
                now::get);
        fail("a", "ip", 4);
        fail("b", "ip", 1);
        fail("c", "ip", 1);
        fail("d", "ip", 1);
        // "a" was dropped to make room, so its fifth failure is its first.
        throttle.failed("a", "ip");
        assertEquals(0, throttle.retryAfterSeconds("a", "ip"));
        fail("e", "ip", 5);
        assertEquals(300, throttle.retryAfterSeconds("e", "ip"));
    }
}
