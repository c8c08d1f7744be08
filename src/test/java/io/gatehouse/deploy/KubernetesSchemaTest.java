package io.gatehouse.deploy;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every object in deploy/kubernetes/ against the Kubernetes API's own schema, offline: the official Java client's
 * models ({@code io.kubernetes:client-java-api}, generated from the Kubernetes OpenAPI document) validate a JSON
 * object strictly, as kubeconform's strict mode does: unknown fields (a misspelt or misplaced key, which the API
 * server would drop silently), missing required fields and wrong shapes are refused, nested objects included.
 */
class KubernetesSchemaTest {
    private static final Gson GSON = new Gson();

    private static List<Map<String, Object>> objects() throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(Manifests.KUBERNETES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                Manifests.load(f).stream().filter(d -> !"Kustomization".equals(d.get("kind"))).forEach(out::add);
            }
        }
        return out;
    }

    /** apps/v1 Deployment is V1Deployment, autoscaling/v2 HorizontalPodAutoscaler V2HorizontalPodAutoscaler. */
    private static Method validator(Map<String, Object> object) throws ReflectiveOperationException {
        String apiVersion = String.valueOf(object.get("apiVersion"));
        String version = apiVersion.substring(apiVersion.lastIndexOf('/') + 1);
        String model = "io.kubernetes.client.openapi.models." + Character.toUpperCase(version.charAt(0)) + version.substring(1)
                + object.get("kind");
        return Class.forName(model).getMethod("validateJsonElement", JsonElement.class);
    }

    private static void validate(Map<String, Object> object) throws Throwable {
        try {
            validator(object).invoke(null, GSON.toJsonTree(object));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void everyManifestMatchesTheKubernetesSchema() throws Throwable {
        List<Map<String, Object>> objects = objects();
        assertEquals(8, objects.size(), "the eight objects of docs/operations.md");
        for (Map<String, Object> o : objects) {
            try {
                validate(o);
            } catch (IllegalArgumentException e) {
                throw new AssertionError(o.get("kind") + " " + Manifests.str(o, "metadata", "name") + ": " + e.getMessage(), e);
            }
        }
    }

    /** The check bites: a misspelt field deep in a pod template, a missing required field, a list for a string. */
    @Test
    void theSchemaCheckRefusesWhatTheApiServerWouldDropOrReject() throws Throwable {
        Map<String, Object> deployment = objects().stream().filter(o -> "Deployment".equals(o.get("kind"))).findFirst().orElseThrow();
        JsonObject good = GSON.toJsonTree(deployment).getAsJsonObject();

        JsonObject misspelt = good.deepCopy();
        JsonObject probe = misspelt.getAsJsonObject("spec").getAsJsonObject("template").getAsJsonObject("spec")
                .getAsJsonArray("containers").get(0).getAsJsonObject().getAsJsonObject("readinessProbe");
        probe.add("periodSecond", probe.remove("periodSeconds"));
        assertRefused(deployment, misspelt, "periodSecond");

        JsonObject noSelector = good.deepCopy();
        noSelector.getAsJsonObject("spec").remove("selector");
        assertRefused(deployment, noSelector, "selector");

        JsonObject imageAsList = good.deepCopy();
        com.google.gson.JsonArray images = new com.google.gson.JsonArray();
        images.add("gatehouse");
        imageAsList.getAsJsonObject("spec").getAsJsonObject("template").getAsJsonObject("spec")
                .getAsJsonArray("containers").get(0).getAsJsonObject().add("image", images);
        assertRefused(deployment, imageAsList, "image");
    }

    private static void assertRefused(Map<String, Object> kind, JsonObject broken, String field) throws ReflectiveOperationException {
        Method v = validator(kind);
        InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> v.invoke(null, broken));
        assertTrue(e.getCause() instanceof IllegalArgumentException && e.getCause().getMessage().contains(field),
                "refused naming " + field + ": " + e.getCause());
    }
}
