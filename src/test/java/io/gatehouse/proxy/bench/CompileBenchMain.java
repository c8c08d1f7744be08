package io.gatehouse.proxy.bench;

import io.gatehouse.stage.BackendHost;
import io.gatehouse.balance.HostRegistry;
import io.gatehouse.proxy.RouteCompiler;
import io.gatehouse.proxy.StageSnapshot;
import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.stage.BackendConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times {@link RouteCompiler#compile} of one stage with 10,000 resources: the first (cold JVM) compile
 * and the median of the next runs. A plain timed main rather than JMH because the cold number is the
 * one a proxy pays at boot and on a publish after a quiet spell. Run by {@code bench/compile.sh}.
 */
public final class CompileBenchMain {

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Map<String, ResourceSpec> resources = resources(n);
        BackendConfig stage = new BackendConfig("weighted_round_robin",
                List.of(new BackendHost("http://10.0.0.1:8080", 5),
                        new BackendHost("http://10.0.0.2:8080", 1)),
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        HostRegistry registry = new HostRegistry();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        StageSnapshot first = RouteCompiler.compile("gw", "prod", stage, resources, registry);
        double cold = (System.nanoTime() - t0) / 1e6;
        double coldCpu = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
        double[] warm = new double[15];
        for (int i = 0; i < warm.length; i++) {
            long t = System.nanoTime();
            RouteCompiler.compile("gw", "prod", stage, resources, registry);
            warm[i] = (System.nanoTime() - t) / 1e6;
        }
        java.util.Arrays.sort(warm);
        // CPU time of the compiling thread too: on a shared machine wall time mostly measures the queue for a CPU.
        System.out.printf("resources=%d routes=%d problems=%d cold_ms=%.1f cold_cpu_ms=%.1f warm_median_ms=%.1f "
                        + "warm_min_ms=%.1f load=%s%n", n, first.router().size(), first.problems().size(), cold, coldCpu,
                warm[warm.length / 2], warm[0], loadAverage());
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    /** 10,000 resources over 100 services: params, prefixes, a tenth with their own override. */
    static Map<String, ResourceSpec> resources(int n) {
        Map<String, ResourceSpec> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Map<String, BackendConfig> overrides = i % 10 == 0
                    ? Map.of("prod", new BackendConfig("round_robin",
                    List.of(new BackendHost("http://10.1." + (i % 250) + ".1:80", 1)),
                    null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null))
                    : Map.of();
            m.put("r" + i, new ResourceSpec(i % 2 == 0 ? "GET" : "ANY", "/svc" + (i % 100) + "/items" + i + "/{id}",
                    i % 3 == 0 ? "prefix" : "exact", "/backend/" + i + "/{id}", null, overrides));
        }
        return m;
    }
}
