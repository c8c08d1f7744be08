package io.gatehouse.proxy;

import io.gatehouse.balance.Outcome;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** What a failed connect or exchange with a host says about the host (see {@link Outcome}). */
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
