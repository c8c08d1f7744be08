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

    /** One stage's choice; the editor holds the stage's own config until the user overrides it. */
    @TemplateData
    public record StageChoice(String stage, boolean override, BackendForm backend) {
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
                .map(s -> new StageChoice(s.name(), false, BackendForm.of(s.backend()))).toList();
        return new ResourceForm("", true, "GET", "", "exact", "", "", choices);
    }

    public static ResourceForm of(ResourceView r, List<StageView> stages) {
        List<StageChoice> choices = new ArrayList<>();
        for (StageView s : stages) {
            BackendConfig override = r.overrides() == null ? null : r.overrides().get(s.name());
            choices.add(new StageChoice(s.name(), override != null, BackendForm.of(override != null ? override : s.backend())));
        }
        return new ResourceForm(r.name(), false, r.method(), r.path(), r.match(), r.backendPath(),
                r.description() == null ? "" : r.description(), choices);
    }

    public static ResourceForm read(FormInput in, String name, boolean isNew, List<StageView> stages) {
        List<StageChoice> choices = new ArrayList<>();
        for (StageView s : stages) {
            boolean override = "override".equals(in.get("use." + s.name()));
            String prefix = "overrides." + s.name();
            BackendForm backend = in.indexes(prefix + ".hosts").isEmpty() && !override
                    ? BackendForm.of(s.backend()) : BackendForm.read(in, prefix);
            choices.add(new StageChoice(s.name(), override, backend));
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
    @TemplateData
    public record StageOverride(String stage, String radioName, boolean override, BackendEditor editor) {
    }

    public List<StageOverride> overrides(FormErrors errors, boolean readOnly) {
        return stages.stream().map(c -> new StageOverride(c.stage(), c.radioName(), c.override(),
                new BackendEditor(c.prefix(), c.backend(), errors, readOnly))).toList();
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
