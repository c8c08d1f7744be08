package io.gatehouse.proxy;

import com.sun.management.UnixOperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The default of {@code gatehouse.proxy.max-connections}, sized from the process's open-file limit so that a
 * flood of client connections reaches the proxy's cap long before the process runs out of descriptors, and the
 * console port, the database pool and the LISTEN connection still get theirs (issue 15: at the limit, all three
 * died with the proxy).
 *
 * <p>Each proxied request holds two descriptors, the client's connection and one to a backend (nginx counts
 * both against {@code worker_connections} for the same reason), so the proxy gets half of what is left after the
 * console port's cap, the database connections and a spare for what the JVM itself holds (jars, epoll, pipes,
 * log files).
 */
public final class DescriptorBudget {
    /** Descriptors the JVM holds besides sockets, with a margin (a Quarkus process holds about 100). */
    static final int SPARE = 256;
    /** A floor, so that a tiny limit still serves something (and a warning says to raise it). */
    static final int MIN = 64;
    /** When the limit cannot be read (not a Unix JVM). */
    static final int UNKNOWN_LIMIT_DEFAULT = 10_000;
    private static final int MAX = 1_000_000;

    private DescriptorBudget() {
    }

    /**
     * The open-file limit this process runs with, or -1 when unknown. Read from the OS MXBean, which reports the
     * limit after the JVM raised its soft limit to the hard one at start (HotSpot's {@code -XX:+MaxFDLimit}).
     */
    public static long descriptorLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }

    /**
     * The proxy port's share of {@code limit} descriptors.
     *
     * @param consoleConnections  the console port's cap ({@code quarkus.http.limits.max-connections})
     * @param databaseConnections the JDBC pool's size plus the LISTEN connection
     */
    public static int maxConnections(long limit, int consoleConnections, int databaseConnections) {
        if (limit < 0) {
            return UNKNOWN_LIMIT_DEFAULT;
        }
        long left = limit - consoleConnections - databaseConnections - SPARE;
        return (int) Math.max(MIN, Math.min(MAX, left / 2));
    }

    /** For a proxy outside the application (tests, benchmarks): Gatehouse's console cap and pool defaults. */
    static int defaultMaxConnections() {
        return maxConnections(descriptorLimit(), 512, 21);
    }
}
