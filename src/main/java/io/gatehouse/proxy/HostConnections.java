package io.gatehouse.proxy;

import io.gatehouse.balance.Endpoint;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One {@link BackendPool}'s connections to one endpoint: the idle ones (reused newest first, so the oldest age out),
 * every open one, and the acquires waiting for one to be released, each for at most its connect timeout. Used on
 * the pool's event loop only.
 */
final class HostConnections {

    /** An acquire waiting for a connection; its timer gives up on it when none comes. */
    static final class Waiter {
        final int connectTimeoutMs;
        final BiConsumer<BackendConnection, Throwable> then;
        private ScheduledFuture<?> timer;

        private Waiter(int connectTimeoutMs, BiConsumer<BackendConnection, Throwable> then) {
            this.connectTimeoutMs = connectTimeoutMs;
            this.then = then;
        }
    }

    private final Endpoint target;
    private final ArrayDeque<BackendConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private final Set<BackendConnection> all = new HashSet<>();
    private int open;

    HostConnections(Endpoint target) {
        this.target = target;
    }

    Endpoint target() {
        return target;
    }

    /** Connections open or connecting. */
    int open() {
        return open;
    }

    /** The newest idle connection still usable, or null; unusable ones met on the way are dropped. */
    BackendConnection idle() {
        BackendConnection c;
        while ((c = idle.pollFirst()) != null) {
            if (c.usable()) {
                return c;
            }
        }
        return null;
    }

    void idle(BackendConnection connection, long nowNanos) {
        connection.idleSince(nowNanos);
        idle.addFirst(connection);
    }

    /** Waits for a released connection; {@code timedOut} runs when none came within {@code connectTimeoutMs}. */
    void await(EventLoop loop, int connectTimeoutMs, BiConsumer<BackendConnection, Throwable> then, Runnable timedOut) {
        Waiter w = new Waiter(connectTimeoutMs, then);
        w.timer = loop.schedule(() -> {
            if (waiting.remove(w)) {
                timedOut.run();
            }
        }, connectTimeoutMs, TimeUnit.MILLISECONDS);
        waiting.add(w);
    }

    /** The longest-waiting acquire, its timer cancelled, or null. */
    Waiter nextWaiting() {
        Waiter w = waiting.poll();
        if (w != null) {
            w.timer.cancel(false);
        }
        return w;
    }

    /** A connection is being opened (counted from the connect on, so the limit holds while connecting). */
    void opened(BackendConnection connection) {
        open++;
        all.add(connection);
    }

    void closed(BackendConnection connection) {
        open--;
        all.remove(connection);
        idle.remove(connection);
    }

    /** No connection open and no one waiting: the pool may forget this endpoint. */
    boolean unused() {
        return open == 0 && waiting.isEmpty();
    }

    /** Closes the connections idle for {@code keepAliveNanos} or longer. */
    void closeIdle(long nowNanos, long keepAliveNanos) {
        for (BackendConnection c : List.copyOf(idle)) {
            if (nowNanos - c.idleSince() >= keepAliveNanos) {
                idle.remove(c);
                c.close();
            }
        }
    }

    void closeAll() {
        for (BackendConnection c : List.copyOf(all)) {
            c.close();
        }
    }
}
