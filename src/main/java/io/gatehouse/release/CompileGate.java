package io.gatehouse.release;

import com.fasterxml.jackson.core.type.TypeReference;
import io.gatehouse.common.FieldError;
import io.gatehouse.common.JsonColumns;
import io.gatehouse.common.ValidationException;
import io.gatehouse.proxy.CompileProblem;
import io.gatehouse.proxy.RouteCompiler;
import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.stage.BackendConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one gate a release passes before it is written: the proxy's own compiler. Publishing, rollback,
 * opening a release request and approving one all compile the release exactly as every instance will, and
 * refuse it (422 naming each resource and field) if the compiler would leave anything out, so a dropped
 * resource is never only a WARN in some instance's log. Save-time validation remains the first line; this
 * catches what it cannot see: rows written under older rules, a rollback to a release they no longer pass.
 */
@ApplicationScoped
public class CompileGate {
    private static final TypeReference<Map<String, ResourceSpec>> RESOURCES = new TypeReference<>() {
    };

    private final JsonColumns json;
    private final Map<String, List<CompileProblem>> ofVersions = new ConcurrentHashMap<>();

    public CompileGate(JsonColumns json) {
        this.json = json;
    }

    /** What the proxy would leave out of this stage's release of {@code resourcesJson} with {@code backendJson}. */
    public List<CompileProblem> problems(String gateway, String stage, String backendJson, String resourcesJson) {
        return RouteCompiler.problems(gateway, stage, json.read(backendJson, BackendConfig.class),
                json.read(resourcesJson, RESOURCES));
    }

    /**
     * As {@link #problems}, for a version's frozen resources: remembered per version and backend config (a
     * version never changes), so the publishing page of a 10,000-resource gateway does not compile on every view
     * (nor fetch the version's snapshot: {@code resourcesJson} is asked for only to compile).
     */
    public List<CompileProblem> problemsOfVersion(long versionId, String gateway, String stage, String backendJson,
                                                  java.util.function.Supplier<String> resourcesJson) {
        String key = versionId + " " + stage + " " + backendJson;
        List<CompileProblem> known = ofVersions.get(key);
        if (known != null) {
            return known;
        }
        if (ofVersions.size() >= 256) {
            ofVersions.clear();
        }
        List<CompileProblem> problems = problems(gateway, stage, backendJson, resourcesJson.get());
        ofVersions.put(key, problems);
        return problems;
    }

    /** Throws a 422 listing every problem, each under its field path ({@code resources.<name>.<field>}). */
    public void check(String gateway, String stage, String backendJson, String resourcesJson) {
        List<CompileProblem> problems = problems(gateway, stage, backendJson, resourcesJson);
        if (!problems.isEmpty()) {
            throw new ValidationException(problems.stream().map(p -> new FieldError(p.field(), p.message())).toList());
        }
    }
}
