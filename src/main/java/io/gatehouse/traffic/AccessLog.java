package io.gatehouse.traffic;

import io.gatehouse.GatehouseConfig.AccessLogFormat;
import io.gatehouse.proxy.ProxiedRequest;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * One line per proxied request on the log category {@code gatehouse.access} (its own console handler
 * prints the message alone, so a JSON line is a JSON document): time, request id, client IP, method,
 * raw path, gateway, stage, resource, tenant, host, status, duration and attempts. Text is
 * {@code key=value} after the request line, {@code -} for what is unknown; JSON has null there.
 */
public final class AccessLog {
    public static final String CATEGORY = "gatehouse.access";
    private static final Logger LOG = Logger.getLogger(CATEGORY);

    private final AccessLogFormat format;

    public AccessLog(AccessLogFormat format) {
        this.format = format;
    }

    public boolean enabled() {
        return format != AccessLogFormat.OFF && LOG.isInfoEnabled();
    }

    public void log(ProxiedRequest r) {
        if (enabled()) {
            LOG.info(format == AccessLogFormat.JSON ? json(r) : text(r));
        }
    }

    public static String text(ProxiedRequest r) {
        StringBuilder b = new StringBuilder(256);
        b.append(Instant.ofEpochMilli(r.startMillis())).append(' ').append(dash(r.requestId())).append(' ')
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
        return b.append(" attempts=").append(r.attempts()).toString();
    }

    public static String json(ProxiedRequest r) {
        StringBuilder b = new StringBuilder(320);
        b.append("{\"time\":\"").append(Instant.ofEpochMilli(r.startMillis())).append('"');
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
        return b.append(",\"attempts\":").append(r.attempts()).append('}').toString();
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
