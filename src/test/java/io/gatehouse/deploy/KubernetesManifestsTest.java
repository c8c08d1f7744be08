package io.gatehouse.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.gatehouse.deploy.Manifests.at;
import static io.gatehouse.deploy.Manifests.list;
import static io.gatehouse.deploy.Manifests.map;
import static io.gatehouse.deploy.Manifests.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * deploy/kubernetes/*.yaml, parsed: what must agree between objects (labels and selectors, ports,
 * probes, Secret keys, HPA and PDB targets) and between the manifests and the application (env names
 * are real config properties, ports are the application's ports, probe paths are health endpoints).
 */
class KubernetesManifestsTest {
    private static final List<Map<String, Object>> objects = new ArrayList<>();
    private static Map<String, Object> kustomization;

    @BeforeAll
    static void load() throws IOException {
        try (Stream<Path> files = Files.list(Manifests.KUBERNETES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Map<String, Object> doc : Manifests.load(f)) {
                    if ("Kustomization".equals(doc.get("kind"))) {
                        kustomization = doc;
                    } else {
                        doc.put("__file", f.getFileName().toString());
                        objects.add(doc);
                    }
                }
            }
        }
        assertNotNull(kustomization, "deploy/kubernetes/kustomization.yaml");
    }

    private static List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    private static Map<String, Object> named(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(str(o, "metadata", "name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    private static Map<String, Object> podTemplate(Map<String, Object> deployment) {
        return map(at(deployment, "spec", "template"), "template");
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        List<Object> containers = list(at(podTemplate(deployment), "spec", "containers"), "containers");
        assertEquals(1, containers.size(), "one container per pod");
        return map(containers.get(0), "container");
    }

    private static Map<String, Integer> containerPorts(Map<String, Object> deployment) {
        Map<String, Integer> ports = new HashMap<>();
        for (Object p : list(container(deployment).get("ports"), "ports")) {
            ports.put(str(p, "name"), (Integer) at(p, "containerPort"));
        }
        return ports;
    }

    private static boolean selects(Map<?, ?> selector, Map<?, ?> labels) {
        return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    private static Map<String, Object> templateLabels(Map<String, Object> deployment) {
        return map(at(podTemplate(deployment), "metadata", "labels"), "template labels");
    }

    private static Map<String, String> env(Map<String, Object> deployment) {
        Map<String, String> env = new HashMap<>();
        for (Object e : list(container(deployment).get("env"), "env")) {
            String name = str(e, "name");
            assertFalse(env.containsKey(name), "env " + name + " set twice");
            env.put(name, str(e, "value"));
        }
        return env;
    }

    @Test
    void everyObjectIsNamedAndListedInTheKustomization() throws IOException {
        for (Map<String, Object> o : objects) {
            assertNotNull(o.get("apiVersion"), o.get("__file") + ": apiVersion");
            assertNotNull(str(o, "metadata", "name"), o.get("__file") + ": metadata.name");
            assertEquals("gatehouse", str(o, "metadata", "labels", "app.kubernetes.io/name"),
                    o.get("__file") + " " + str(o, "metadata", "name") + ": app.kubernetes.io/name label");
        }
        Set<String> files = new TreeSet<>();
        objects.forEach(o -> files.add((String) o.get("__file")));
        assertEquals(files, new TreeSet<>(list(kustomization.get("resources"), "resources")),
                "kustomization.yaml lists every manifest file");
        assertEquals(Set.of("Deployment", "Service", "Secret", "HorizontalPodAutoscaler", "PodDisruptionBudget"),
                new HashSet<>(objects.stream().map(o -> (String) o.get("kind")).toList()));
    }

    @Test
    void deploymentSelectorsMatchTheirPodsAndNoOtherDeploymentsPods() {
        List<Map<String, Object>> deployments = ofKind("Deployment");
        assertEquals(2, deployments.size());
        for (Map<String, Object> d : deployments) {
            Map<String, Object> selector = map(at(d, "spec", "selector", "matchLabels"), "matchLabels");
            for (Map<String, Object> other : deployments) {
                assertEquals(other == d, selects(selector, templateLabels(other)),
                        str(d, "metadata", "name") + " selector vs pods of " + str(other, "metadata", "name"));
            }
        }
    }

    @Test
    void servicesSelectOneDeploymentAndTargetItsNamedPorts() {
        Map<String, Integer> expected = Map.of("gatehouse-console", AppPorts.HTTP, "gatehouse-proxy", AppPorts.PROXY);
        assertEquals(expected.keySet(), new HashSet<>(ofKind("Service").stream().map(s -> str(s, "metadata", "name")).toList()));
        for (Map<String, Object> service : ofKind("Service")) {
            String name = str(service, "metadata", "name");
            Map<String, Object> selector = map(at(service, "spec", "selector"), name + " selector");
            List<Map<String, Object>> targets = ofKind("Deployment").stream()
                    .filter(d -> selects(selector, templateLabels(d))).toList();
            assertEquals(1, targets.size(), name + " selects exactly one Deployment's pods");
            Map<String, Integer> ports = containerPorts(targets.get(0));
            List<Object> servicePorts = list(at(service, "spec", "ports"), "ports");
            assertEquals(1, servicePorts.size(), name + " exposes one port");
            Object target = at(servicePorts.get(0), "targetPort");
            Integer containerPort = target instanceof String s ? ports.get(s) : (Integer) target;
            assertNotNull(containerPort, name + " targetPort " + target + " is a container port");
            assertEquals(expected.get(name), containerPort, name + " reaches the right application port");
            assertEquals(expected.get(name), at(servicePorts.get(0), "port"), name + " service port");
        }
    }

    @Test
    void containerPortsAreTheApplicationsPorts() {
        for (Map<String, Object> d : ofKind("Deployment")) {
            assertEquals(Map.of("http", AppPorts.HTTP, "proxy", AppPorts.PROXY), containerPorts(d),
                    str(d, "metadata", "name") + ": 8080 is quarkus.http.port, 8000 gatehouse.proxy.port");
        }
    }

    @Test
    void probesHitHealthEndpointsOnTheManagementPort() {
        for (Map<String, Object> d : ofKind("Deployment")) {
            String name = str(d, "metadata", "name");
            Map<String, Object> c = container(d);
            Map<String, Integer> ports = containerPorts(d);
            assertEquals("/q/health/ready", str(c, "readinessProbe", "httpGet", "path"), name + " readiness");
            assertEquals("/q/health/live", str(c, "livenessProbe", "httpGet", "path"), name + " liveness");
            for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                if (c.get(probe) == null) {
                    continue;
                }
                String path = str(c, probe, "httpGet", "path");
                assertTrue(AppPorts.HEALTH_PATHS.contains(path), name + " " + probe + " path " + path
                        + " is a SmallRye Health endpoint");
                Object port = at(c, probe, "httpGet", "port");
                Integer number = port instanceof String s ? ports.get(s) : (Integer) port;
                assertEquals(AppPorts.HTTP, number, name + " " + probe + " must use the 8080 port (proxy-only answers /q/* there)");
            }
        }
    }

    @Test
    void modesAndReplicas() {
        Map<String, Object> console = named("Deployment", "gatehouse-console");
        Map<String, Object> proxy = named("Deployment", "gatehouse-proxy");
        assertEquals("full", env(console).get("GATEHOUSE_MODE"));
        assertEquals("proxy-only", env(proxy).get("GATEHOUSE_MODE"));
        int replicas = (Integer) at(console, "spec", "replicas");
        assertTrue(replicas >= 1 && replicas <= 2, "console runs 1-2 replicas");
        assertNull(at(proxy, "spec", "replicas"), "the HPA owns the proxy's replica count");
        for (Map<String, Object> d : ofKind("Deployment")) {
            assertEquals(Map.of("fieldPath", "metadata.name"),
                    at(list(container(d).get("env"), "env").stream()
                            .filter(e -> "GATEHOUSE_INSTANCE_ID".equals(str(e, "name"))).findFirst().orElseThrow(),
                            "valueFrom", "fieldRef"),
                    "instance id is the pod name, unique per replica");
        }
    }

    @Test
    void hpaAndPdbTargetTheDeployments() {
        Map<String, Object> hpa = named("HorizontalPodAutoscaler", "gatehouse-proxy");
        assertEquals("autoscaling/v2", hpa.get("apiVersion"));
        assertEquals("Deployment", str(hpa, "spec", "scaleTargetRef", "kind"));
        assertEquals("apps/v1", str(hpa, "spec", "scaleTargetRef", "apiVersion"));
        Map<String, Object> target = named("Deployment", str(hpa, "spec", "scaleTargetRef", "name"));
        int min = (Integer) at(hpa, "spec", "minReplicas");
        assertTrue(min >= 2 && min <= (Integer) at(hpa, "spec", "maxReplicas"), "at least two proxies, min <= max");
        assertNotNull(str(container(target), "resources", "requests", "cpu"), "CPU utilization needs a CPU request");
        for (Map<String, Object> pdb : ofKind("PodDisruptionBudget")) {
            String name = str(pdb, "metadata", "name");
            Map<String, Object> selector = map(at(pdb, "spec", "selector", "matchLabels"), name + " selector");
            List<Map<String, Object>> covered = ofKind("Deployment").stream()
                    .filter(d -> selects(selector, templateLabels(d))).toList();
            assertEquals(1, covered.size(), name + " covers one Deployment");
            assertEquals(name, str(covered.get(0), "metadata", "name"));
            Object minAvailable = at(pdb, "spec", "minAvailable");
            if (minAvailable instanceof Integer n) {
                Object replicas = at(covered.get(0), "spec", "replicas");
                int floor = replicas == null ? min : (Integer) replicas;
                assertTrue(n < floor, name + " minAvailable below the replica count, or a drain blocks forever");
            }
        }
        assertNotNull(at(named("PodDisruptionBudget", "gatehouse-proxy"), "spec"));
    }

    @Test
    void envNamesAreRealSettingsAndSecretRefsResolve() {
        Map<String, Object> secret = named("Secret", "gatehouse");
        Map<String, Object> secretData = map(at(secret, "stringData"), "stringData");
        for (String key : secretData.keySet()) {
            EnvNames.assertKnown(key, "Secret gatehouse");
        }
        for (Map<String, Object> d : ofKind("Deployment")) {
            String name = str(d, "metadata", "name");
            for (Object e : list(container(d).get("env"), "env")) {
                String env = str(e, "name");
                EnvNames.assertKnown(env, name);
                Object ref = at(e, "valueFrom", "secretKeyRef");
                if (ref != null) {
                    assertEquals(env, str(ref, "key"), name + ": " + env + " comes from the key of the same name");
                    Map<String, Object> s = named("Secret", str(ref, "name"));
                    assertTrue(map(at(s, "stringData"), "stringData").containsKey(str(ref, "key")),
                            name + ": Secret " + str(ref, "name") + " has key " + str(ref, "key"));
                }
            }
            assertTrue(env(d).keySet().containsAll(List.of("QUARKUS_DATASOURCE_JDBC_URL",
                    "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD")), name + " has the external database");
        }
    }

    /**
     * The Deployments name the image by a bare placeholder that kustomization.yaml maps to a registry which cannot
     * be pulled from (RFC 2606's example.com) until you set yours, as docs/operations.md's build-and-push steps say.
     */
    @Test
    void theImageIsAPlaceholderTheKustomizationSetsAndTheDocsBuildAndPush() throws IOException {
        List<Object> images = list(kustomization.get("images"), "images");
        assertEquals(1, images.size());
        assertEquals(Manifests.IMAGE_REPOSITORY, str(images.get(0), "name"));
        for (Map<String, Object> d : ofKind("Deployment")) {
            assertEquals(Manifests.IMAGE_REPOSITORY, str(container(d), "image"), str(d, "metadata", "name")
                    + " names the image only by the placeholder kustomization.yaml replaces");
        }
        String newName = str(images.get(0), "newName");
        String tag = str(images.get(0), "newTag");
        assertTrue(newName != null && newName.startsWith("registry.example.com/"), "placeholder registry: " + newName);
        assertNotNull(tag, "newTag");
        String image = newName + ":" + tag;
        String ops = Files.readString(Manifests.ROOT.resolve("docs/operations.md"));
        for (String step : List.of("docker build -f src/main/docker/Dockerfile.jvm -t " + image + " .", "docker push " + image)) {
            assertTrue(ops.contains(step), "docs/operations.md shows: " + step);
        }
    }

    /** deploy/ ships no usable secret: every password, secret and key of the Secret is empty until filled in. */
    @Test
    void theSecretShipsNoSecretValues() {
        Map<String, Object> data = map(at(named("Secret", "gatehouse"), "stringData"), "stringData");
        Set<String> secrets = new TreeSet<>();
        data.forEach((key, value) -> {
            if (key.matches(".*(PASSWORD|SECRET|_KEY)$")) {
                secrets.add(key);
                assertEquals("", value, "Secret gatehouse ships a value for " + key);
            }
        });
        assertTrue(secrets.containsAll(List.of("QUARKUS_DATASOURCE_PASSWORD", "GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD",
                "QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY", "QUARKUS_OIDC_CREDENTIALS_SECRET",
                "QUARKUS_OIDC_AUTHENTICATION_STATE_SECRET", "QUARKUS_OIDC_TOKEN_STATE_MANAGER_ENCRYPTION_SECRET")), secrets.toString());
    }

    /**
     * docs/operations.md's object table under "Kubernetes" lists exactly the manifests' objects ("Kind `name`"),
     * every `field: value` it quotes is a field of that object with that value, and the prose counts them right.
     */
    @Test
    void operationsDocListsExactlyTheseObjects() throws IOException {
        String doc = Files.readString(Manifests.ROOT.resolve("docs/operations.md"));
        int start = doc.indexOf("\n## Kubernetes\n");
        assertTrue(start >= 0, "docs/operations.md has a Kubernetes section");
        int end = doc.indexOf("\n## ", start + 1);
        String section = doc.substring(start, end < 0 ? doc.length() : end);
        Map<String, String> documented = new java.util.TreeMap<>();
        Matcher row = Pattern.compile("(?m)^\\| (\\w+) `([a-z0-9-]+)` \\| (.*) \\|$").matcher(section);
        while (row.find()) {
            assertNull(documented.put(row.group(1) + "/" + row.group(2), row.group(3)), "listed twice: " + row.group(0));
        }
        Set<String> actual = new TreeSet<>();
        objects.forEach(o -> actual.add(o.get("kind") + "/" + str(o, "metadata", "name")));
        assertEquals(actual, documented.keySet(), "docs/operations.md's object table against deploy/kubernetes/");
        documented.forEach((object, what) -> {
            String[] kn = object.split("/");
            Map<String, Object> o = named(kn[0], kn[1]);
            Matcher quoted = Pattern.compile("`([A-Za-z_]+): ([^`]+)`").matcher(what);
            while (quoted.find()) {
                String field = quoted.group(1);
                String value = quoted.group(2);
                assertTrue(hasField(o, field, value), object + " has " + field + ": " + value + " as docs/operations.md says");
            }
        });
        List<String> words = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten", "eleven", "twelve");
        assertTrue(section.contains("There are " + words.get(objects.size()) + " small objects"),
                "the \"Why plain manifests\" paragraph counts " + objects.size() + " objects");
    }

    /** A field of that name anywhere in the object (an env var counts as its name) whose value prints as given. */
    private static boolean hasField(Object node, String field, String value) {
        if (node instanceof Map<?, ?> m) {
            if (value.equals(String.valueOf(m.get(field)))) {
                return true;
            }
            if (field.equals(m.get("name")) && value.equals(String.valueOf(m.get("value")))) {
                return true;
            }
            return m.values().stream().anyMatch(v -> hasField(v, field, value));
        }
        if (node instanceof List<?> l) {
            return l.stream().anyMatch(v -> hasField(v, field, value));
        }
        return false;
    }

    @Test
    void terminationGraceOutlastsTheDrain() {
        for (Map<String, Object> d : ofKind("Deployment")) {
            int grace = (Integer) at(podTemplate(d), "spec", "terminationGracePeriodSeconds");
            List<Object> preStop = list(at(container(d), "lifecycle", "preStop", "exec", "command"), "preStop");
            int sleep = preStop.isEmpty() ? 0 : Integer.parseInt(String.valueOf(preStop.get(preStop.size() - 1)));
            long drain = AppPorts.shutdownTimeoutSeconds(env(d).get("GATEHOUSE_PROXY_SHUTDOWN_TIMEOUT"));
            assertTrue(grace > sleep + drain, str(d, "metadata", "name") + ": terminationGracePeriodSeconds " + grace
                    + " must exceed preStop " + sleep + "s + drain " + drain + "s, or the kubelet kills mid-drain");
            if (!"full".equals(env(d).get("GATEHOUSE_MODE")) && sleep == 0) {
                fail("the proxy Deployment needs a preStop pause so endpoints are removed before it stops accepting");
            }
        }
    }
}
