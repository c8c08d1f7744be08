package io.gatehouse.bench;

import io.gatehouse.proxy.IdentityProbe;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What knowing a request's tenant costs per request (issue 16: at most 2 µs for an API key; a JWT verified once
 * and then cached): {@code TenantIdentity.admit} as the proxy calls it, with the instance's real directory and
 * verifier. {@code apiKey}: SHA-256 of the presented key and a lookup among 10,000 keys. {@code jwtCached}: a
 * token already verified (cache lookup by the token). {@code jwtFirst}: the cache emptied before each call, so
 * the RS256 signature and the claims are checked each time (the JWKS is in memory: fetching it is apart, once per
 * release or unknown kid). Run with {@code -prof gc} for bytes per request.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IdentityBench {

    @State(Scope.Benchmark)
    public static class Keys {
        IdentityProbe probe;

        @Setup
        public void setup() {
            probe = IdentityProbe.apiKey(10_000);
        }

        @TearDown
        public void close() {
            probe.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Tokens {
        IdentityProbe probe;

        @Setup
        public void setup() {
            probe = IdentityProbe.jwt();
        }

        @TearDown
        public void close() {
            probe.close();
        }
    }

    /** As {@link Tokens}, with the verified-token cache emptied before every call (JMH's Level.Invocation). */
    @State(Scope.Benchmark)
    public static class FreshTokens extends Tokens {
        @Setup(Level.Invocation)
        public void forget() {
            probe.forgetVerified();
        }
    }

    @Benchmark
    public String apiKey(Keys k) {
        return k.probe.admit();
    }

    @Benchmark
    public String jwtCached(Tokens t) {
        return t.probe.admit();
    }

    @Benchmark
    public String jwtFirst(FreshTokens t) {
        return t.probe.admit();
    }
}
