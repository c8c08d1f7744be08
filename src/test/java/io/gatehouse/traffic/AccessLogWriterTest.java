package io.gatehouse.traffic;

import io.gatehouse.GatehouseConfig.AccessLogFormat;
import io.gatehouse.proxy.ProxiedRequest;
import io.gatehouse.proxy.SampleRequests;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The access log's background writer: whole lines in order, a file that follows logrotate, drops counted. */
class AccessLogWriterTest {

    @TempDir
    Path dir;

    @Test
    void everyLineReachesTheFileInOrderByClose() throws Exception {
        Path file = dir.resolve("access.log");
        ProxiedRequest r = SampleRequests.ok("http://10.0.0.1:8080");
        AccessLog log = AccessLog.writingTo(AccessLogFormat.TEXT, file);
        for (int i = 0; i < 10_000; i++) {
            log.log(r);
        }
        log.close();
        List<String> lines = Files.readAllLines(file);
        assertEquals(10_000, lines.size());
        String expected = AccessLog.text(r);
        for (String line : lines) {
            assertEquals(expected, line);
        }
        assertTrue(expected.startsWith(Instant.ofEpochMilli(r.startMillis()).toString().substring(0, 19) + "."), expected);
        assertEquals(r.startMillis(), Instant.parse(expected.substring(0, expected.indexOf(' '))).toEpochMilli());
        assertEquals(0, log.dropped());
    }

    @Test
    void jsonLinesParseAndAppendToAnExistingFile() throws Exception {
        Path file = dir.resolve("access.json");
        Files.writeString(file, "earlier\n");
        ProxiedRequest r = SampleRequests.ok("http://10.0.0.2:8080");
        AccessLog log = AccessLog.writingTo(AccessLogFormat.JSON, file);
        log.log(r);
        log.log(r);
        log.close();
        List<String> lines = Files.readAllLines(file);
        assertEquals(3, lines.size(), lines.toString());
        assertEquals("earlier", lines.get(0));
        JsonObject json = new JsonObject(lines.get(1));
        assertEquals("http://10.0.0.2:8080", json.getString("host"));
        assertEquals(200, json.getInteger("status"));
        assertEquals(r.startMillis(), Instant.parse(json.getString("time")).toEpochMilli());
        assertEquals(lines.get(1), lines.get(2));
    }

    @Test
    void aRenamedFileIsReopenedAtItsPathAsLogrotateExpects() throws Exception {
        Path file = dir.resolve("access.log");
        Path rotated = dir.resolve("access.log.1");
        ProxiedRequest r = SampleRequests.ok("http://10.0.0.1:8080");
        AccessLog log = AccessLog.writingTo(AccessLogFormat.TEXT, file);
        log.log(r);
        eventually(() -> Files.exists(file) && Files.readAllLines(file).size() == 1);
        Files.move(file, rotated);
        // The writer checks the path once a second; lines written before it notices still go to the old file.
        eventually(() -> {
            log.log(r); // one line per check, every 50 ms
            return Files.exists(file) && !Files.readAllLines(file).isEmpty();
        });
        log.close();
        long total = Files.readAllLines(rotated).size() + Files.readAllLines(file).size();
        assertTrue(Files.readAllLines(rotated).size() >= 1);
        assertTrue(total >= 2, "lines: " + total);
        assertEquals(0, log.dropped());
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> written = new ArrayList<>();
        AccessLogWriter.Sink stuck = new AccessLogWriter.Sink() {
            @Override
            public void line(CharSequence line) {
                writing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                written.add(line.toString());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        AccessLogWriter writer = new AccessLogWriter(AccessLog.formatter(AccessLogFormat.TEXT), stuck);
        ProxiedRequest r = SampleRequests.ok("http://10.0.0.1:8080");
        writer.offer(r);
        assertTrue(writing.await(10, TimeUnit.SECONDS));
        // The writer holds the first line and waits on the sink: the queue takes exactly its capacity.
        int accepted = 0;
        for (int i = 0; i < AccessLogWriter.CAPACITY + 5; i++) {
            if (writer.offer(r)) {
                accepted++;
            }
        }
        assertEquals(AccessLogWriter.CAPACITY, accepted);
        assertEquals(5, writer.dropped());
        release.countDown();
        writer.close();
        assertEquals(AccessLogWriter.CAPACITY + 1, written.size());
    }

    @Test
    void aFileThatCannotBeOpenedStopsTheStartNamingTheSetting() {
        Path file = dir.resolve("no-such-dir").resolve("access.log");
        Exception e = assertThrows(RuntimeException.class, () -> AccessLog.writingTo(AccessLogFormat.TEXT, file));
        assertTrue(e.getMessage().contains("gatehouse.proxy.access-log-file") && e.getMessage().contains(file.toString()),
                e.getMessage());
    }

    @Test
    void offWritesNothing() throws Exception {
        Path file = dir.resolve("off.log");
        AccessLog log = AccessLog.writingTo(AccessLogFormat.OFF, file);
        log.log(SampleRequests.ok("http://10.0.0.1:8080"));
        log.close();
        assertTrue(!Files.exists(file));
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void eventually(Check check) {
        io.gatehouse.Eventually.eventually(() -> "the check to pass", Duration.ofSeconds(10), Duration.ofMillis(50), () -> {
            try {
                return check.ok();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
