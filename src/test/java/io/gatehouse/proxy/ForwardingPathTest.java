package io.gatehouse.proxy;

import io.gatehouse.balance.Endpoint;
import io.gatehouse.balance.Host;
import io.gatehouse.balance.PoolSet;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The forwarding path (what runs per request) reads compiled values only: no class on it refers to the stored
 * config model ({@code io.gatehouse.stage}, which only {@link RouteCompiler} reads), and none is over 250 lines
 * (issue 17). A source check, so that a compile-time constant javac inlines is caught as well as an import.
 */
class ForwardingPathTest {

    /** The classes a request runs through, from the front handler to the backend connection and back. */
    static final List<Class<?>> FORWARDING_PATH = List.of(ProxyServer.class, ProxyHandler.class, Exchange.class,
            Attempt.class, RequestHead.class, Headers.class, RequestIds.class, Tunnel.class, BackendPool.class,
            HostConnections.class,
            BackendConnection.class, BackendTrust.class, Outcomes.class, Problems.class, Upstream.class,
            StageSnapshot.class, SnapshotStore.class, Router.class, Route.class, PathSegments.class,
            TenantIdentity.class, TenantClaims.class, TenantPolicy.class, TenantLimiter.class, Tenants.class,
            JwtVerifier.class, LivePools.class, ProxiedRequest.class, StalledBodies.class, UpstreamTrace.class,
            VertxRequestAttributes.class, TrustedProxies.class, PoolSet.class, Host.class, Endpoint.class);

    static final int MAX_LINES = 250;

    @Test
    void noClassOnTheForwardingPathRefersToTheConfigModel() throws IOException {
        List<String> offending = new ArrayList<>();
        for (Class<?> c : FORWARDING_PATH) {
            List<String> lines = Files.readAllLines(source(c));
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("io.gatehouse.stage")) {
                    offending.add(c.getSimpleName() + ".java:" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        }
        assertEquals(List.of(), offending, "the forwarding path must read compiled values (Upstream, TenantPolicy, "
                + "Host.endpoint()), never io.gatehouse.stage: let RouteCompiler compile what it needs");
    }

    @Test
    void noFileOnTheForwardingPathIsOver250Lines() throws IOException {
        List<String> tooLong = new ArrayList<>();
        for (Class<?> c : FORWARDING_PATH) {
            int n = Files.readAllLines(source(c)).size();
            if (n > MAX_LINES) {
                tooLong.add(c.getSimpleName() + ".java: " + n + " lines");
            }
        }
        assertEquals(List.of(), tooLong, "split along a seam (issue 17: at most " + MAX_LINES + " lines)");
    }

    /** The source file of a top-level class (Maven runs tests from the project's directory). */
    private static Path source(Class<?> c) {
        Path p = Path.of("src/main/java", c.getName().replace('.', '/') + ".java");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("no source for " + c.getName() + " at " + p.toAbsolutePath());
        }
        return p;
    }
}
