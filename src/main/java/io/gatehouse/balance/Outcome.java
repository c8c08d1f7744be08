package io.gatehouse.balance;

/**
 * How one attempt at a host went, as the forwarder (or a probe) saw it: the whole vocabulary of
 * passive health. Only outcomes that prove the host itself unwell are failures (nginx's
 * {@code proxy_next_upstream error timeout}, Envoy's "local origin" and gateway failures); a
 * backend's own HTTP answer is {@link #SUCCESS} unless its status is one the config lists, which
 * makes it {@link #STATUS} (nginx's {@code http_503}, Envoy's {@code consecutive_5xx}).
 */
public enum Outcome {
    /** An answer (any status the config does not list). */
    SUCCESS(null),
    CONNECT_REFUSED("connect refused"),
    CONNECT_TIMEOUT("connect timed out"),
    /** Reset, unreachable, unresolvable: no connection for another reason. */
    CONNECT_FAILED("connect failed"),
    TLS_FAILED("TLS handshake failed"),
    /** The connection closed (or was reset) after the request went out, before a response head. */
    CLOSED("closed before an answer"),
    READ_TIMEOUT("read timeout"),
    /** The host answered a status the config counts as a failure. */
    STATUS("answered"),
    /** The client went away first: says nothing about the host, so it is neither success nor failure. */
    CANCELLED(null),
    /**
     * Every connection this proxy instance may open to the host stayed in use for the connect timeout: the
     * proxy's own limit, not the host's failure (Envoy's pending-request overflow), so no passive mark.
     */
    BUSY(null);

    private final String text;

    Outcome(String text) {
        this.text = text;
    }

    public boolean failure() {
        return text != null;
    }

    /** What happened, for "why is this host down": {@code connect refused}, {@code answered 503}. */
    public String describe(int status) {
        return this == STATUS ? text + " " + status : text == null ? name().toLowerCase(java.util.Locale.ROOT) : text;
    }
}
