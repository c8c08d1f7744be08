package io.gatehouse.bench;

import io.gatehouse.balance.Balancer;
import io.gatehouse.balance.BalancerType;
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

/** Smooth WRR pick cost does not depend on the weights: {1,1} vs {10000,9999}, and 10 hosts likewise. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@Threads(1)
public class WrrWeightsBench {

    @Param({"1,1", "10000,9999", "1x10", "10000x10"})
    public String weights;

    private Balancer balancer;

    @Setup
    public void setUp() {
        List<Integer> w = new ArrayList<>();
        if (weights.contains("x")) {
            String[] p = weights.split("x");
            for (int i = 0; i < Integer.parseInt(p[1]); i++) {
                w.add(Math.max(1, Integer.parseInt(p[0]) - i));
            }
        } else {
            for (String s : weights.split(",")) {
                w.add(Integer.parseInt(s));
            }
        }
        List<Host> pool = new ArrayList<>();
        for (int i = 0; i < w.size(); i++) {
            pool.add(new Host("http://10.0.0." + i + ":8080", w.get(i)));
        }
        balancer = Balancer.create(BalancerType.WEIGHTED_ROUND_ROBIN, pool, null, new HostRegistry());
    }

    @Benchmark
    public Host pick() {
        return balancer.pick(RequestAttributes.NONE);
    }
}
