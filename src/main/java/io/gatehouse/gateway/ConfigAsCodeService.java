package io.gatehouse.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.gatehouse.audit.AuditLog;
import io.gatehouse.auth.Access;
import io.gatehouse.common.StrictJson;
import io.gatehouse.common.ApiException;
import io.gatehouse.common.FieldError;
import io.gatehouse.common.Violations;
import io.gatehouse.common.JsonDiff;
import io.gatehouse.common.JsonDiff.FieldChange;
import io.gatehouse.common.JsonDiff.ResourcesDiff;
import io.gatehouse.resource.ResourceService;
import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.stage.Stage;
import io.gatehouse.stage.StageService;
import io.gatehouse.stage.StageService.StageBody;
import io.gatehouse.team.Role;
import io.gatehouse.tenant.Tenant;
import io.gatehouse.tenant.TenantReferences;
import io.gatehouse.tenant.TenantService;
import io.gatehouse.tenant.TenantService.TenantBody;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Export a gateway's drafts as one document, and import such a document as drafts in one transaction.
 * An import makes the gateway's resources exactly the file's (resources missing from it are deleted)
 * and creates or replaces the stages it names; stages it does not name are kept, because removing a
 * stage stops live traffic and deserves its own explicit call. Nothing is published by an import.
 */
@ApplicationScoped
public class ConfigAsCodeService {

    public enum Format { JSON, YAML }

    /** What the audit log keeps of an import. */
    public record ImportSummary(List<String> stagesAdded, List<String> stagesChanged, boolean descriptionChanged,
                                int resourcesAdded, int resourcesChanged, int resourcesRemoved) {
    }

    /** What an import changes (or, in a dry run, would change). */
    public record ImportResult(boolean dryRun, Map<String, List<FieldChange>> stages, List<String> stagesAdded,
                               ResourcesDiff resources,
                               @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> tenantsChanged) {
    }

    private final Access access;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final ObjectMapper yaml;
    private final StageService stageService;
    private final ResourceService resourceService;
    private final Event<GatewayChanged> gatewayChanged;
    private final TenantService tenantService;

    public ConfigAsCodeService(Access access, AuditLog audit, ObjectMapper json, StageService stageService,
                               ResourceService resourceService, TenantService tenantService,
                               Event<GatewayChanged> gatewayChanged) {
        this.gatewayChanged = gatewayChanged;
        this.access = access;
        this.audit = audit;
        this.json = json;
        // Same naming, strictness and coercion rules as the JSON API, only another syntax.
        this.yaml = json.copyWith(YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build());
        this.stageService = stageService;
        this.resourceService = resourceService;
        this.tenantService = tenantService;
    }

    @Transactional
    public String export(String gw, Format format) {
        Gateway gateway = access.gateway(gw, Role.VIEWER);
        try {
            GatewayDocument doc = document(gateway);
            return format == Format.YAML ? yaml.writeValueAsString(doc)
                    : json.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private GatewayDocument document(Gateway gateway) {
        Map<String, StageBody> stages = new TreeMap<>();
        for (Stage stage : Stage.listFor(gateway)) {
            stages.put(stage.name, new StageBody(stage.description, stageService.backend(stage),
                    stage.requiresApproval ? Boolean.TRUE : null));
        }
        Map<String, TenantBody> tenants = new TreeMap<>();
        for (Tenant t : Tenant.listFor(gateway)) {
            tenants.put(t.name, new TenantBody(t.description, t.rateLimitRps == null ? null
                    : new TenantService.RateLimit(t.rateLimitRps, t.rateLimitBurst)));
        }
        return new GatewayDocument(gateway.description, tenants, stages, new TreeMap<>(resourceService.specs(gateway)));
    }

    @Transactional
    public ImportResult importDocument(String gw, String body, Format format, boolean dryRun) {
        String actor = access.user().username;
        Gateway gateway = access.gatewayForUpdate(gw, Role.MAINTAINER);
        GatewayDocument doc = parse(body, format);
        validate(gateway, doc);

        GatewayDocument before = document(gateway);
        Map<String, List<FieldChange>> stageChanges = new TreeMap<>();
        List<String> stagesAdded = new ArrayList<>();
        for (Map.Entry<String, StageBody> e : new TreeMap<>(doc.stages()).entrySet()) {
            StageBody old = before.stages().get(e.getKey());
            // requires_approval left out keeps the stage's setting; only true is written, as in the export.
            Boolean approval = e.getValue().requiresApproval() == null
                    ? (old == null ? null : old.requiresApproval()) : e.getValue().requiresApproval();
            StageBody normalized = new StageBody(e.getValue().description() == null ? "" : e.getValue().description(),
                    e.getValue().backend().normalized(), Boolean.TRUE.equals(approval) ? Boolean.TRUE : null);
            if (old == null) {
                stagesAdded.add(e.getKey());
            } else {
                List<FieldChange> fields = JsonDiff.fields(json.valueToTree(old), json.valueToTree(normalized));
                if (!fields.isEmpty()) {
                    stageChanges.put(e.getKey(), fields);
                }
            }
        }
        Map<String, ResourceSpec> wanted = new TreeMap<>();
        doc.resources().forEach((name, spec) -> wanted.put(name, spec.normalized()));
        ResourcesDiff resources = JsonDiff.resources(json.valueToTree(before.resources()), json.valueToTree(wanted));
        // Tenants the file names are created or replaced (those it does not name are kept, as stages are).
        List<String> tenantsChanged = new ArrayList<>();
        for (Map.Entry<String, TenantBody> e : new TreeMap<>(doc.tenants()).entrySet()) {
            TenantBody old = before.tenants().get(e.getKey());
            TenantBody wantedTenant = normalized(e.getValue());
            if (old == null || !old.equals(wantedTenant)) {
                tenantsChanged.add(e.getKey());
            }
        }
        ImportResult result = new ImportResult(dryRun, stageChanges, stagesAdded, resources, tenantsChanged);
        if (dryRun) {
            return result;
        }
        // Tenants first: pools and tenant rules may name a tenant this import declares.
        for (String name : tenantsChanged) {
            tenantService.put(gw, name, doc.tenants().get(name));
        }
        // Stages first: the resources' overrides may name a stage this import adds.
        for (String name : stagesAdded) {
            stageService.put(gw, name, doc.stages().get(name), false);
        }
        for (String name : stageChanges.keySet()) {
            stageService.put(gw, name, doc.stages().get(name), false);
        }
        boolean describe = doc.description() != null && !doc.description().equals(gateway.description);
        if (describe) {
            gateway.description = doc.description();
        }
        Map<String, ResourceSpec> changed = new TreeMap<>();
        resources.changed().keySet().forEach(name -> changed.put(name, wanted.get(name)));
        Map<String, ResourceSpec> added = new TreeMap<>();
        resources.added().forEach(name -> added.put(name, wanted.get(name)));
        resourceService.importResources(gateway, new HashSet<>(resources.removed()), changed, added);
        // One entry for the whole import, with what it changed in numbers and stage names (10,000 per-resource
        // entries would bury every other change in the log).
        audit.record(actor, gateway.team.slug, gw, "gateway.import", "gateway/" + gw, null,
                new ImportSummary(stagesAdded, List.copyOf(stageChanges.keySet()), describe, resources.added().size(),
                        resources.changed().size(), resources.removed().size()));
        gatewayChanged.fire(new GatewayChanged(gw));
        return result;
    }

    private GatewayDocument parse(String body, Format format) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("the body must be a gateway document (stages, resources)");
        }
        try {
            GatewayDocument doc = (format == Format.YAML ? yaml : json).readValue(body, GatewayDocument.class);
            if (doc == null) {
                throw ApiException.badRequest("the body must be a gateway document (stages, resources)");
            }
            return new GatewayDocument(doc.description(), doc.tenants() == null ? Map.of() : doc.tenants(),
                    doc.stages() == null ? Map.of() : doc.stages(),
                    doc.resources() == null ? Map.of() : doc.resources());
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof StreamReadException syntax) {
                throw syntaxError(syntax, format);
            }
            String field = StrictJson.path(e);
            // The field path names the spot exactly; Jackson's line for a mapping error can be the next line.
            String problem = e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException
                    ? "is not a known field" : "has the wrong type";
            throw new ApiException(400, "bad_document", "Bad gateway document", field + " " + problem);
        } catch (JsonProcessingException e) {
            throw syntaxError(e, format);
        }
    }

    /** A tenant as the export writes it: a limit's burst filled in, description never null. */
    private static TenantBody normalized(TenantBody body) {
        TenantBody b = body == null ? new TenantBody(null, null) : body;
        TenantService.RateLimit limit = b.rateLimit() == null ? null : new TenantService.RateLimit(
                b.rateLimit().requestsPerSecond(),
                b.rateLimit().burst() == null ? b.rateLimit().requestsPerSecond() : b.rateLimit().burst());
        return new TenantBody(b.description() == null ? "" : b.description(), limit);
    }

    private static ApiException syntaxError(JsonProcessingException e, Format format) {
        String line = e.getLocation() == null ? "?" : String.valueOf(e.getLocation().getLineNr());
        return new ApiException(400, "bad_document", "Bad gateway document",
                "the document is not valid " + format.name() + " at line " + line + ": " + e.getOriginalMessage());
    }

    /** Every rule of every stage and resource, named by its place in the file, before anything is written. */
    private void validate(Gateway gateway, GatewayDocument doc) {
        Violations v = new Violations();
        if (doc.description() != null && doc.description().length() > 1000) {
            v.add("description", "must be at most 1000 characters");
        }
        Set<String> stageNames = new HashSet<>();
        Stage.listFor(gateway).forEach(s -> stageNames.add(s.name));
        Set<String> tenants = TenantReferences.declared(gateway);
        for (Map.Entry<String, TenantBody> e : new TreeMap<>(doc.tenants()).entrySet()) {
            tenants.add(e.getKey());
            if (!io.gatehouse.common.NameRules.isTenantName(e.getKey())) {
                v.add("tenants." + e.getKey(), io.gatehouse.common.NameRules.TENANT);
            }
        }
        for (Map.Entry<String, StageBody> e : new TreeMap<>(doc.stages()).entrySet()) {
            String at = "stages." + e.getKey();
            stageNames.add(e.getKey());
            if (!StageService.NAME.matcher(e.getKey()).matches()) {
                v.add(at, io.gatehouse.common.NameRules.STAGE);
            }
            if (e.getValue() == null || e.getValue().backend() == null) {
                v.add(at + ".backend", "is required");
            } else {
                e.getValue().backend().validate(at + ".backend", v);
                TenantReferences.checkPools(e.getValue().backend(), at + ".backend", tenants, v);
            }
        }
        Map<String, String> slots = new HashMap<>();
        for (Map.Entry<String, ResourceSpec> e : new TreeMap<>(doc.resources()).entrySet()) {
            String at = "resources." + e.getKey();
            if (!ResourceService.NAME.matcher(e.getKey()).matches()) {
                v.add(at, io.gatehouse.common.NameRules.RESOURCE);
            }
            if (e.getValue() == null) {
                v.add(at, "must be a resource object");
                continue;
            }
            Violations own = new Violations();
            e.getValue().validate(stageNames, own);
            for (FieldError error : own.errors()) {
                v.add(at + "." + error.field(), error.message());
            }
            if (own.isEmpty()) {
                TenantReferences.checkResource(e.getValue(), at, tenants, v);
                // One map lookup per resource on the router's own slot (ResourceSpec.routeSlot), not pairwise.
                String taken = slots.putIfAbsent(e.getValue().routeSlot(), e.getKey());
                if (taken != null) {
                    v.add(at, "matches the same requests as resource '" + taken + "'");
                }
            }
        }
        v.throwIfAny();
    }
}
