package io.gatehouse.proxy;

import io.gatehouse.balance.Outcome;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** What a failed connect or exchange with a host says about the host (see {@link Outcome}), and the client's answer. */
final class Outcomes {

    private Outcomes() {
    }

    /** No connection: refused, timed out, TLS handshake failed, or something else on the way (reset, DNS). */
    static Outcome ofConnect(Throwable cause) {
        if (tls(cause)) {
            return Outcome.TLS_FAILED;
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            // Netty's ConnectTimeoutException is a ConnectException too, so it is asked first.
            if (t instanceof io.netty.channel.ConnectTimeoutException) {
                return Outcome.CONNECT_TIMEOUT;
            }
            if (t instanceof ConnectException) {
                return Outcome.CONNECT_REFUSED;
            }
        }
        return Outcome.CONNECT_FAILED;
    }

    /** Connected and sent, but no response head: read_ms passed, or the connection closed or was reset. */
    static Outcome ofExchange(Throwable cause) {
        return cause instanceof TimeoutException ? Outcome.READ_TIMEOUT : Outcome.CLOSED;
    }

    /** The client's answer when the last attempt failed with {@code failure} (not CANCELLED: no one to answer). */
    record Answer(int status, String code, String title, String detail) {
    }

    /** See {@link Answer}; {@code resource} and {@code up} are what the request was routed to. */
    static Answer answer(Outcome failure, String resource, Upstream up) {
        return switch (failure) {
            case READ_TIMEOUT -> new Answer(504, "backend_timeout", "Backend timeout",
                    "no response from the backend within " + up.readTimeoutMs() + " ms");
            case BUSY -> new Answer(503, "backend_busy", "Backend busy", "every connection this proxy instance may open"
                    + " to a backend host of resource " + resource + " stayed in use for " + up.connectTimeoutMs()
                    + " ms (gatehouse.proxy.max-connections-per-host)");
            case TLS_FAILED -> new Answer(502, "backend_tls_failed", "Backend TLS handshake failed", "the TLS handshake"
                    + " with a backend host of resource " + resource + " failed: its certificate is not trusted, has"
                    + " expired or does not name the host (see gatehouse.proxy.tls.ca-file)");
            default -> new Answer(502, "backend_unreachable", "Backend unreachable",
                    "could not reach a backend host for resource " + resource);
        };
    }

    /** Whether a connect failed in the TLS handshake (untrusted or mismatched certificate), not before it. */
    static boolean tls(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return true;
            }
        }
        return false;
    }
}
