package io.gatehouse.bench;

import io.gatehouse.proxy.ProxiedRequest;
import io.gatehouse.proxy.SampleRequests;
import io.gatehouse.traffic.AccessLog;
import io.gatehouse.traffic.TrafficMetrics;
import io.gatehouse.traffic.TrafficWindow;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What recording one proxied request costs, part by part: the Prometheus meters (counter and
 * histogram), the console's live window, and formatting a JSON access-log line (without writing it:
 * the log handler's own cost depends on where stdout goes). Two threads share one set of meters, as
 * two event loops recording the same host do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RecordingBench {

    private ProxiedRequest request;
    private TrafficMetrics metrics;
    private TrafficWindow window;

    @Setup
    public void setup() {
        request = SampleRequests.ok("http://10.0.0.1:8080");
        metrics = new TrafficMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        window = new TrafficWindow();
    }

    @Benchmark
    @Threads(1)
    public void metrics() {
        metrics.record(request);
    }

    @Benchmark
    @Threads(2)
    public void metrics2Threads() {
        metrics.record(request);
    }

    @Benchmark
    @Threads(1)
    public void window() {
        window.record(request.stageKey(), request.overrideOf(), request.tenantPool(), request.host(), request.status(),
                request.durationNanos());
    }

    @Benchmark
    @Threads(2)
    public void window2Threads() {
        window.record(request.stageKey(), request.overrideOf(), request.tenantPool(), request.host(), request.status(),
                request.durationNanos());
    }

    @Benchmark
    @Threads(1)
    public String accessLogJson() {
        return AccessLog.json(request);
    }

    @Benchmark
    @Threads(1)
    public String accessLogText() {
        return AccessLog.text(request);
    }
}
