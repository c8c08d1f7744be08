package io.gatehouse.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.gatehouse.deploy.Manifests.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database connection budget of deploy/kubernetes, computed from the manifests and the code's defaults the way
 * docs/operations.md explains it: per instance the pool ({@code quarkus.datasource.jdbc.max-size}, by default
 * {@code gatehouse.db-pool.<mode>}) plus the LISTEN connection; at the autoscaler's maximum during a rolling update
 * (every Deployment surged by its maxSurge) it must fit under PostgreSQL's default max_connections (100) less its
 * superuser_reserved_connections (3). DatabaseOutageIT counts the connections real instances open.
 */
class ConnectionBudgetTest {
    static final int POSTGRES_MAX_CONNECTIONS = 100;
    static final int SUPERUSER_RESERVED = 3;

    /** One Deployment at its largest: {@code replicas} (the HPA's maximum if it has one) plus {@code surge} in a rollout. */
    record Tier(String name, int replicas, int surge, int perInstance) {
    }

    @Test
    void theDocumentedTopologyFitsUnderPostgresDefaultsDuringARollout() throws IOException {
        Tier console = tier("gatehouse-console", "full");
        Tier proxy = tier("gatehouse-proxy", "proxy-only");
        assertEquals(11, console.perInstance(), "a full instance: pool 10 + LISTEN");
        assertEquals(4, proxy.perInstance(), "a proxy-only instance: pool 3 + LISTEN");

        int steady = console.replicas() * console.perInstance() + proxy.replicas() * proxy.perInstance();
        int rollout = (console.replicas() + console.surge()) * console.perInstance()
                + (proxy.replicas() + proxy.surge()) * proxy.perInstance();
        assertTrue(rollout <= POSTGRES_MAX_CONNECTIONS - SUPERUSER_RESERVED, "at the HPA maximum during a rollout: "
                + rollout + " connections");

        String ops = Files.readString(Path.of("docs/operations.md"));
        String expected = "%d × %d + %d × %d = %d".formatted(console.replicas(), console.perInstance(), proxy.replicas(),
                proxy.perInstance(), steady);
        assertTrue(ops.contains(expected), "docs/operations.md states the steady budget: " + expected);
        String expectedRollout = "%d × %d + %d × %d = %d".formatted(console.replicas() + console.surge(),
                console.perInstance(), proxy.replicas() + proxy.surge(), proxy.perInstance(), rollout);
        assertTrue(ops.contains(expectedRollout), "docs/operations.md states the rollout budget: " + expectedRollout);
    }

    /** Replicas (or the HPA's bounds), maxSurge and connections per pod of one Deployment. */
    private static Tier tier(String deployment, String defaultMode) {
        Map<String, Object> d = null;
        Map<String, Object> hpa = null;
        for (Path f : manifests()) {
            for (Map<String, Object> doc : Manifests.load(f)) {
                if (deployment.equals(at(doc, "metadata", "name"))) {
                    if ("Deployment".equals(doc.get("kind"))) {
                        d = doc;
                    } else if ("HorizontalPodAutoscaler".equals(doc.get("kind"))) {
                        hpa = doc;
                    }
                }
            }
        }
        assertNotNull(d, deployment);
        // At the autoscaler's maximum, where the budget is tightest.
        int replicas = ((Number) (hpa != null ? at(hpa, "spec", "maxReplicas") : at(d, "spec", "replicas"))).intValue();
        int surge = surge(String.valueOf(at(d, "spec", "strategy", "rollingUpdate", "maxSurge")), replicas);
        Map<String, String> env = env(d);
        String mode = env.getOrDefault("GATEHOUSE_MODE", defaultMode);
        Map<String, String> defaults = ConfigProperties.gatehouse();
        int pool = env.containsKey("QUARKUS_DATASOURCE_JDBC_MAX_SIZE")
                ? Integer.parseInt(env.get("QUARKUS_DATASOURCE_JDBC_MAX_SIZE"))
                : Integer.parseInt(env.getOrDefault("GATEHOUSE_DB_POOL_" + mode.toUpperCase().replace('-', '_'),
                defaults.get("gatehouse.db-pool." + mode)));
        boolean listen = !"false".equals(env.getOrDefault("GATEHOUSE_SYNC_LISTEN", defaults.get("gatehouse.sync.listen")));
        return new Tier(deployment, replicas, surge, pool + (listen ? 1 : 0));
    }

    /** Kubernetes rounds a percentage maxSurge up (maxUnavailable down). */
    static int surge(String maxSurge, int replicas) {
        if (maxSurge == null || maxSurge.equals("null")) {
            return (int) Math.ceil(replicas * 0.25); // the Deployment default, 25%
        }
        if (maxSurge.endsWith("%")) {
            return (int) Math.ceil(replicas * Integer.parseInt(maxSurge.substring(0, maxSurge.length() - 1)) / 100.0);
        }
        return Integer.parseInt(maxSurge);
    }

    private static Map<String, String> env(Map<String, Object> deployment) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (Object c : Manifests.list(at(deployment, "spec", "template", "spec", "containers"), "containers")) {
            for (Object e : Manifests.list(at(c, "env"), "env")) {
                Object value = at(e, "value");
                if (value != null) {
                    out.put(String.valueOf(at(e, "name")), String.valueOf(value));
                }
            }
        }
        return out;
    }

    private static List<Path> manifests() {
        List<Path> out = new ArrayList<>();
        try (var s = Files.list(Manifests.KUBERNETES)) {
            s.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals("kustomization.yaml"))
                    .sorted().forEach(out::add);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }
}
