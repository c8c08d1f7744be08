package io.gatehouse.bench;

import io.gatehouse.balance.Balancer;
import io.gatehouse.balance.BalancerType;
import io.gatehouse.balance.HashKey;
import io.gatehouse.balance.Host;
import io.gatehouse.balance.HostRegistry;
import io.gatehouse.balance.RequestAttributes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Picks per second per balancing type, for 2, 10 and 1000 hosts of mixed weights (1–10), from 1 and
 * from 2 threads sharing one balancer (state is per pool for the whole process, so two event loops
 * contend on the same balancer, as in production). Run with {@code bench/run-jmh.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class BalancerBench {

    @Param({"ROUND_ROBIN", "WEIGHTED_ROUND_ROBIN", "LEAST_CONN", "CONSISTENT_HASH", "LEAST_RESPONSE_TIME", "RANDOM"})
    public String type;

    @Param({"2", "10", "1000"})
    public int hosts;

    private Balancer balancer;

    @Setup
    public void setUp() {
        HostRegistry registry = new HostRegistry();
        List<Host> pool = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            pool.add(new Host("http://10.0." + (i / 250) + "." + (i % 250) + ":8080", 1 + (i * 7) % 10));
        }
        balancer = Balancer.create(BalancerType.valueOf(type), pool,
                new HashKey(HashKey.On.HEADER, "X-User-Id", HashKey.DEFAULT_REPLICAS), registry);
        for (int i = 0; i < pool.size(); i++) { // every host tried and idle: the steady state
            balancer.onStart(pool.get(i));
            balancer.onEnd(pool.get(i), 1_000_000L + 1_000L * i);
        }
    }

    /** Per-thread request whose key (for consistent hash) changes on every pick, from 1024 user ids. */
    @State(Scope.Thread)
    public static class Request implements RequestAttributes {
        private final String[] keys = new String[1024];
        private int next;

        @Setup
        public void setUp() {
            for (int i = 0; i < keys.length; i++) {
                keys[i] = "user-" + (i * 7919);
            }
        }

        RequestAttributes advance() {
            next = (next + 1) & (keys.length - 1);
            return this;
        }

        @Override
        public String header(String name) {
            return keys[next];
        }

        @Override
        public String cookie(String name) {
            return null;
        }

        @Override
        public String path() {
            return "/users/42";
        }

        @Override
        public String clientIp() {
            return "192.0.2.1";
        }
    }

    @Benchmark
    @Threads(1)
    public Host pick1Thread(Request request) {
        return balancer.pick(request.advance());
    }

    @Benchmark
    @Threads(2)
    public Host pick2Threads(Request request) {
        return balancer.pick(request.advance());
    }
}
