package io.gatehouse.traffic;

import io.gatehouse.proxy.ProxiedRequest;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Access-log lines off the event loop: the proxy only hands each finished request over (a queue offer: no
 * formatting, no I/O, no allocation), and one daemon thread formats the lines and writes them in batches,
 * either to a file (one {@code write(2)} per batch, like nginx's {@code access_log ... buffer=}) or through the
 * {@code gatehouse.access} log category. The event loop never waits: when the queue is full (the disk or stdout
 * stalled for seconds), lines are dropped and counted, and the count is logged as a warning.
 *
 * <p>The file is opened for appending and reopened when it was moved or deleted (checked once a second), so
 * logrotate's default rename-and-create works without a signal, as does {@code copytruncate}.
 */
final class AccessLogWriter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AccessLogWriter.class);

    static final int CAPACITY = 65_536;
    private static final int BATCH = 1024;
    /** How long the writer sleeps when the queue is empty: at most this much delay before a line is written. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long REOPEN_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long DROP_REPORT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Where formatted lines go; called on the writer thread only. */
    interface Sink extends AutoCloseable {
        void line(CharSequence line);

        /** Called when the queue ran empty: write out what is buffered. */
        void flush();

        @Override
        void close();
    }

    private final ArrayBlockingQueue<ProxiedRequest> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AccessLog.Formatter formatter;
    private final Sink sink;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean closing;
    private long droppedReported;
    private long lastDropReport = System.nanoTime();

    AccessLogWriter(AccessLog.Formatter formatter, Sink sink) {
        this.formatter = Objects.requireNonNull(formatter);
        this.sink = Objects.requireNonNull(sink);
        this.thread = new Thread(this::run, "gatehouse-access-log");
        thread.setDaemon(true);
        thread.start();
    }

    /** On the event loop: never blocks; false (and counted) when the queue is full. */
    boolean offer(ProxiedRequest r) {
        if (queue.offer(r)) {
            return true;
        }
        dropped.incrementAndGet();
        return false;
    }

    /** Lines dropped so far because the queue was full. */
    long dropped() {
        return dropped.get();
    }

    private void run() {
        List<ProxiedRequest> batch = new ArrayList<>(BATCH);
        StringBuilder line = new StringBuilder(512);
        while (true) {
            if (queue.drainTo(batch, BATCH) == 0) {
                sink.flush();
                reportDrops();
                if (closing && queue.isEmpty()) {
                    return;
                }
                LockSupport.parkNanos(this, IDLE_NANOS);
                continue;
            }
            for (ProxiedRequest r : batch) {
                line.setLength(0);
                try {
                    formatter.format(r, line);
                    sink.line(line);
                } catch (RuntimeException e) {
                    // A bad record costs its own line, never the writer.
                    LOG.warnf("access log line for request %s failed: %s", r.requestId(), e.toString());
                }
            }
            batch.clear();
        }
    }

    private void reportDrops() {
        long now = System.nanoTime();
        if (now - lastDropReport < DROP_REPORT_NANOS) {
            return;
        }
        lastDropReport = now;
        long total = dropped.get();
        if (total > droppedReported) {
            LOG.warnf("%d access log lines dropped: the writer fell behind (queue of %d full)", total - droppedReported,
                    CAPACITY);
            droppedReported = total;
        }
    }

    /** Writes what is queued, then stops the thread (waits up to 5 s). */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sink.close();
    }

    /** Lines through the {@code gatehouse.access} log category (the console by default), one record each. */
    static Sink category(Logger log) {
        return new Sink() {
            @Override
            public void line(CharSequence line) {
                log.info(line.toString());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }

    /** Appends to {@code path}, creating it; fails at once when it cannot be opened (a start-up error). */
    static Sink file(Path path) {
        FileSink sink = new FileSink(path);
        try {
            sink.open();
        } catch (IOException e) {
            throw new UncheckedIOException("gatehouse.proxy.access-log-file: cannot open " + path + " for appending: "
                    + e.getMessage(), e);
        }
        return sink;
    }

    private static final class FileSink implements Sink {
        private final Path path;
        private final ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
        private FileChannel channel;
        private Object fileKey;
        private long lastCheck = System.nanoTime();
        private boolean failing;

        FileSink(Path path) {
            this.path = path;
        }

        void open() throws IOException {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        }

        @Override
        public void line(CharSequence line) {
            int n = line.length();
            if (buffer.remaining() < n * 3 + 1) {
                flush();
                if (buffer.remaining() < n * 3 + 1) {
                    put(line.toString().getBytes(StandardCharsets.UTF_8)); // a line longer than the buffer
                    return;
                }
            }
            for (int i = 0; i < n; i++) {
                char c = line.charAt(i);
                if (c >= 0x80) {
                    buffer.put(line.subSequence(i, n).toString().getBytes(StandardCharsets.UTF_8));
                    break;
                }
                buffer.put((byte) c);
            }
            buffer.put((byte) '\n');
        }

        private void put(byte[] bytes) {
            write(ByteBuffer.wrap(bytes));
            write(ByteBuffer.wrap(new byte[] {'\n'}));
        }

        @Override
        public void flush() {
            reopenIfMoved();
            buffer.flip();
            write(buffer);
            buffer.clear();
        }

        private void write(ByteBuffer bytes) {
            if (channel == null) {
                return; // the file could not be reopened: these lines are lost, the warning said so
            }
            try {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                failing = false;
            } catch (IOException e) {
                if (!failing) {
                    LOG.warnf("access log %s: write failed: %s", path, e.getMessage());
                    failing = true;
                }
            }
        }

        /** logrotate renames the file (or deletes it): follow the path, not the old inode. */
        private void reopenIfMoved() {
            long now = System.nanoTime();
            if (now - lastCheck < REOPEN_CHECK_NANOS) {
                return;
            }
            lastCheck = now;
            Object key;
            try {
                key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            } catch (NoSuchFileException e) {
                key = null;
            } catch (IOException e) {
                return;
            }
            if (key != null && key.equals(fileKey) && channel != null) {
                return;
            }
            try {
                if (channel != null) {
                    channel.close();
                }
                channel = null;
                open();
            } catch (IOException e) {
                if (!failing) {
                    LOG.warnf("access log %s: cannot reopen: %s", path, e.getMessage());
                    failing = true;
                }
            }
        }

        @Override
        public void close() {
            flush();
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                LOG.debugf("access log %s: close failed: %s", path, e.getMessage());
            }
        }
    }
}
