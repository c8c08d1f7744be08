package io.gatehouse.resource;

import io.gatehouse.common.FieldError;
import io.gatehouse.common.Violations;
import io.gatehouse.console.FormErrors;
import io.gatehouse.console.FormInput;
import io.gatehouse.resource.ResourceService.ResourceView;
import io.gatehouse.stage.BackendConfig;
import io.gatehouse.stage.BackendEditor;
import io.gatehouse.stage.BackendForm;
import io.gatehouse.stage.StageService.StageView;
import io.quarkus.qute.TemplateData;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resource form as typed: the operation, and per stage the choice "use the stage's backend config"
 * or "override" with its own backend editor (inputs {@code overrides.<stage>.*}, the API's field paths).
 */
@TemplateData
public record ResourceForm(String name, boolean isNew, String method, String path, String match, String backendPath,
                           String description, List<StageChoice> stages) {

    /**
     * One stage's choice. An override starts empty (one blank host, no tenant pools) unless the user asks for
     * a copy of the stage's config ({@code copied}): a silent copy sent tenants to the stage's pools through an
     * override meant to send everything elsewhere, and never followed later stage edits.
     */
    @TemplateData
    public record StageChoice(String stage, boolean override, BackendForm backend, boolean copied) {
        public String radioName() {
            return "use." + stage;
        }

        public String prefix() {
            return "overrides." + stage;
        }
    }

    public List<String> methods() {
        return ResourceSpec.METHODS;
    }

    public List<String> matches() {
        return ResourceSpec.MATCHES;
    }

    public static ResourceForm blank(List<StageView> stages) {
        List<StageChoice> choices = stages.stream()
                .map(s -> new StageChoice(s.name(), false, BackendForm.blank(), false)).toList();
        return new ResourceForm("", true, "GET", "", "exact", "", "", choices);
    }

    public static ResourceForm of(ResourceView r, List<StageView> stages) {
        List<StageChoice> choices = new ArrayList<>();
        for (StageView s : stages) {
            BackendConfig override = r.overrides() == null ? null : r.overrides().get(s.name());
            choices.add(new StageChoice(s.name(), override != null,
                    override != null ? BackendForm.of(override) : BackendForm.blank(), false));
        }
        return new ResourceForm(r.name(), false, r.method(), r.path(), r.match(), r.backendPath(),
                r.description() == null ? "" : r.description(), choices);
    }

    public static ResourceForm read(FormInput in, String name, boolean isNew, List<StageView> stages) {
        List<StageChoice> choices = new ArrayList<>();
        for (StageView s : stages) {
            String prefix = "overrides." + s.name();
            if (s.name().equals(in.get("copy"))) {
                // "Copy the stage's config": the override editor is filled from it, nothing is saved yet.
                choices.add(new StageChoice(s.name(), true, BackendForm.of(s.backend()), true));
                continue;
            }
            boolean override = "override".equals(in.get("use." + s.name()));
            BackendForm backend = in.indexes(prefix + ".hosts").isEmpty() && !override
                    ? BackendForm.blank() : BackendForm.read(in, prefix);
            choices.add(new StageChoice(s.name(), override, backend, false));
        }
        return new ResourceForm(isNew ? in.raw("name") : name, isNew, in.raw("method"), in.raw("path").trim(),
                in.raw("match"), in.raw("backend_path").trim(), in.raw("description"), choices);
    }

    /** The API body: overrides only for the stages set to "override"; input errors are added to {@code v}. */
    public ResourceSpec toSpec(Violations v) {
        Map<String, BackendConfig> overrides = new LinkedHashMap<>();
        for (StageChoice c : stages) {
            if (c.override()) {
                overrides.put(c.stage(), c.backend().toConfig(c.prefix(), v));
            }
        }
        return new ResourceSpec(blank(method), blank(path), blank(match), blank(backendPath), description, overrides);
    }

    /** The API's field paths as this form's input names (tenant pools of each override). */
    public FormErrors errors(List<FieldError> errors) {
        List<FieldError> mapped = errors;
        for (StageChoice c : stages) {
            mapped = c.backend().formFields(c.prefix(), mapped);
        }
        return FormErrors.of(mapped);
    }

    /** What the template shows per stage: the choice and its editor (read-only for viewers). */
    /**
     * @param stageHosts  the stage's own default hosts, as a reminder of what "use the stage's config" means
     * @param stagePools  the stage's tenant pools by name: a copy brings them along, an empty override has none
     * @param sameAsStage an override whose config equals the stage's current one: a copy that will not follow
     *                    later edits of the stage config
     */
    @TemplateData
    public record StageOverride(String stage, String radioName, boolean override, BackendEditor editor, boolean copied,
                                int stageHosts, List<String> stagePools, boolean sameAsStage) {
    }

    public List<StageOverride> overrides(FormErrors errors, boolean readOnly, List<StageView> stageViews) {
        Map<String, StageView> byName = new LinkedHashMap<>();
        stageViews.forEach(s -> byName.put(s.name(), s));
        return stages.stream().map(c -> {
            BackendConfig stage = byName.get(c.stage()).backend().normalized();
            boolean same = c.override() && !c.copied() && BackendForm.of(stage).equals(c.backend());
            return new StageOverride(c.stage(), c.radioName(), c.override(),
                    new BackendEditor(c.prefix(), c.backend(), errors, readOnly), c.copied(), stage.hosts().size(),
                    List.copyOf(new java.util.TreeSet<>(stage.tenantPools().keySet())), same);
        }).toList();
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
