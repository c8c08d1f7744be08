package io.gatehouse;

import io.gatehouse.proxy.TestDnsServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * The suite's DNS server: a real one on 127.0.0.1 ({@link TestDnsServer}) that the application's proxy, and every
 * proxy instance a test starts beside it, asks through {@code gatehouse.dns.servers}, so host names resolve the
 * same on every machine (unknown names get NXDOMAIN at once). Tests say what a name answers with {@link #set} and
 * stop the server answering with {@link #silence}, through system properties, which the test resource and the
 * tests' class loaders share.
 */
public class TestDns implements QuarkusTestResourceLifecycleManager {
    // Not under "gatehouse.": Quarkus validates every system property of a mapped root, so a later boot (another
    // test profile) failed on these names (SRCFG00050).
    private static final String PREFIX = "test-dns.";
    private static TestDnsServer server;

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            try {
                server = new TestDnsServer(PREFIX);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return Map.of("gatehouse.dns.servers", "127.0.0.1:" + server.address().getPort());
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** {@code name} answers {@code addresses} with {@code ttlSeconds}; the server answers again if silenced. */
    public static void set(String name, long ttlSeconds, String... addresses) {
        System.setProperty(PREFIX + name.toLowerCase(), ttlSeconds + " " + String.join(" ", addresses));
        System.clearProperty(PREFIX + "silent");
    }

    /** The server stops answering anything (queries time out), until the next {@link #set} or {@link #answer}. */
    public static void silence() {
        System.setProperty(PREFIX + "silent", "true");
    }

    public static void answer() {
        System.clearProperty(PREFIX + "silent");
    }
}
