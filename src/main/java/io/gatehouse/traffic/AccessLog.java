package io.gatehouse.traffic;

import io.gatehouse.GatehouseConfig.AccessLogFormat;
import io.gatehouse.proxy.ProxiedRequest;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Instant;

/**
 * One line per proxied request: time, request id, client IP, method, raw path, gateway, stage, resource,
 * tenant, host, status, duration and attempts, and {@code panic=true} ({@code "panic":true}) on a request sent
 * to a pool in panic, only then. Text is {@code key=value} after the request line, {@code -} for
 * what is unknown; JSON has null there.
 *
 * <p>{@link #writingTo} (the application's) formats and writes off the event loop ({@link AccessLogWriter}): to
 * {@code gatehouse.proxy.access-log-file} when set, else through the log category {@code gatehouse.access}
 * (its own console handler prints the message alone, so a JSON line is a JSON document). The plain
 * constructor logs synchronously, on the caller's thread.
 */
public final class AccessLog implements AutoCloseable {
    public static final String CATEGORY = "gatehouse.access";
    private static final Logger LOG = Logger.getLogger(CATEGORY);

    /** Formats one request's line into a builder (not thread-safe: it caches the current second). */
    interface Formatter {
        void format(ProxiedRequest r, StringBuilder b);
    }

    private final AccessLogFormat format;
    private final AccessLogWriter writer;
    private final boolean enabled;

    /** Synchronous: each line is formatted and logged to the category on the calling thread. */
    public AccessLog(AccessLogFormat format) {
        this.format = format;
        this.writer = null;
        this.enabled = format != AccessLogFormat.OFF;
    }

    private AccessLog(AccessLogFormat format, AccessLogWriter writer) {
        this.format = format;
        this.writer = writer;
        this.enabled = writer != null;
    }

    /**
     * Asynchronous: lines go to {@code file} when not null, else to the category, written by one background
     * thread; {@link #close} writes out what is queued.
     */
    public static AccessLog writingTo(AccessLogFormat format, Path file) {
        if (format == AccessLogFormat.OFF || (file == null && !LOG.isInfoEnabled())) {
            return new AccessLog(format, null);
        }
        Formatter formatter = formatter(format);
        return new AccessLog(format, new AccessLogWriter(formatter,
                file == null ? AccessLogWriter.category(LOG) : AccessLogWriter.file(file)));
    }

    public boolean enabled() {
        return enabled && (writer != null || LOG.isInfoEnabled());
    }

    public void log(ProxiedRequest r) {
        if (writer != null) {
            writer.offer(r);
        } else if (enabled()) {
            LOG.info(format == AccessLogFormat.JSON ? json(r) : text(r));
        }
    }

    /** Lines dropped because the writer fell behind (always 0 when synchronous). */
    public long dropped() {
        return writer == null ? 0 : writer.dropped();
    }

    @Override
    public void close() {
        if (writer != null) {
            writer.close();
        }
    }

    static Formatter formatter(AccessLogFormat format) {
        IsoMillis time = new IsoMillis();
        return format == AccessLogFormat.JSON ? (r, b) -> json(r, b, time) : (r, b) -> text(r, b, time);
    }

    public static String text(ProxiedRequest r) {
        StringBuilder b = new StringBuilder(256);
        text(r, b, new IsoMillis());
        return b.toString();
    }

    public static String json(ProxiedRequest r) {
        StringBuilder b = new StringBuilder(320);
        json(r, b, new IsoMillis());
        return b.toString();
    }

    private static void text(ProxiedRequest r, StringBuilder b, IsoMillis time) {
        time.append(b, r.startMillis());
        b.append(' ').append(dash(r.requestId())).append(' ')
                .append(dash(r.clientIp())).append(" \"").append(r.method()).append(' ');
        escaped(b, r.path());
        b.append("\" gateway=").append(dash(r.gateway()))
                .append(" stage=").append(dash(r.stage()))
                .append(" resource=").append(dash(r.resource()))
                .append(" tenant=").append(dash(r.tenant()))
                .append(" host=").append(dash(r.host()))
                .append(" status=").append(r.status())
                .append(" duration_ms=");
        millis(b, r.durationNanos());
        b.append(" attempts=").append(r.attempts());
        if (r.panic()) {
            b.append(" panic=true");
        }
    }

    private static void json(ProxiedRequest r, StringBuilder b, IsoMillis time) {
        b.append("{\"time\":\"");
        time.append(b, r.startMillis());
        b.append('"');
        field(b, "request_id", r.requestId());
        field(b, "client_ip", r.clientIp());
        field(b, "method", r.method());
        field(b, "path", r.path());
        field(b, "gateway", r.gateway());
        field(b, "stage", r.stage());
        field(b, "resource", r.resource());
        field(b, "tenant", r.tenant());
        field(b, "host", r.host());
        b.append(",\"status\":").append(r.status()).append(",\"duration_ms\":");
        millis(b, r.durationNanos());
        b.append(",\"attempts\":").append(r.attempts());
        if (r.panic()) {
            b.append(",\"panic\":true");
        }
        b.append('}');
    }

    /**
     * ISO 8601 UTC with milliseconds, always three digits ({@code 2026-11-23T22:20:43.575Z}); the date and time
     * of day are rendered once per second, not per line ({@code Instant.toString} costs more than the rest).
     */
    static final class IsoMillis {
        private long second = Long.MIN_VALUE;
        private String prefix;

        void append(StringBuilder b, long epochMillis) {
            long s = Math.floorDiv(epochMillis, 1000);
            if (s != second) {
                String whole = Instant.ofEpochSecond(s).toString(); // ...T22:20:43Z
                prefix = whole.substring(0, whole.length() - 1) + '.';
                second = s;
            }
            int ms = (int) Math.floorMod(epochMillis, 1000);
            b.append(prefix).append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10))
                    .append((char) ('0' + ms % 10)).append('Z');
        }
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append(",\"").append(name).append("\":");
        if (value == null) {
            b.append("null");
        } else {
            b.append('"');
            escaped(b, value);
            b.append('"');
        }
    }

    /** Milliseconds with three decimals, without String.format's cost. */
    private static void millis(StringBuilder b, long nanos) {
        long micros = Math.max(0, nanos) / 1000;
        long frac = micros % 1000;
        b.append(micros / 1000).append('.');
        if (frac < 100) {
            b.append('0');
        }
        if (frac < 10) {
            b.append('0');
        }
        b.append(frac);
    }

    /** JSON string escaping (RFC 8259 §7), also used inside the text line's quotes. */
    static void escaped(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                        b.append("\\u");
                        String hex = Integer.toHexString(c);
                        b.append("0".repeat(4 - hex.length())).append(hex);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
    }
}
