package io.gatehouse.proxy;

/** What the proxy port's client connections are doing, for metrics; every method is cheap and thread-safe. */
public interface ClientConnectionStats {

    /** Client connections open now. */
    int open();

    /** The cap ({@code gatehouse.proxy.max-connections}). */
    int max();

    /** Connections closed at once because the cap was reached, since start. */
    long refused();

    /** Connections closed because their first request head was not complete in time, since start. */
    long headTimeouts();

    /** Requests ended with 408 because their body stalled, since start. */
    long bodyTimeouts();
}
