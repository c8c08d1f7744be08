package io.gatehouse.traffic;

import io.gatehouse.GatehouseConfig.AccessLogFormat;
import io.gatehouse.proxy.ProxiedRequest;
import io.gatehouse.proxy.SampleRequests;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What an access-log line costs, and on which thread ({@link AccessLogWriter}): the event loop only offers the
 * finished request to the writer's queue ({@code eventLoopHandOver} also takes it back out, so the queue never
 * fills; an upper bound), the writer thread formats it into a reused builder ({@code writerFormatText},
 * {@code writerFormatJson}); {@code formatOnTheCallerBefore} is what the event loop paid per line before
 * (a fresh builder and String, the time rendered by {@code Instant.toString}), before the log handler's write.
 *
 * <pre>bench/run-jmh.sh AccessLogBench -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class AccessLogBench {
    private ProxiedRequest request;
    private final ArrayBlockingQueue<ProxiedRequest> queue = new ArrayBlockingQueue<>(AccessLogWriter.CAPACITY);
    private final StringBuilder line = new StringBuilder(512);
    private AccessLog.Formatter text;
    private AccessLog.Formatter json;

    @Setup
    public void setup() {
        request = SampleRequests.ok("http://10.0.0.1:8080");
        text = AccessLog.formatter(AccessLogFormat.TEXT);
        json = AccessLog.formatter(AccessLogFormat.JSON);
    }

    @Benchmark
    public ProxiedRequest eventLoopHandOver() {
        queue.offer(request);
        return queue.poll();
    }

    @Benchmark
    public int writerFormatText() {
        line.setLength(0);
        text.format(request, line);
        return line.length();
    }

    @Benchmark
    public int writerFormatJson() {
        line.setLength(0);
        json.format(request, line);
        return line.length();
    }

    @Benchmark
    public String formatOnTheCallerBefore() {
        return java.time.Instant.ofEpochMilli(request.startMillis()) + AccessLog.text(request).substring(24);
    }
}
