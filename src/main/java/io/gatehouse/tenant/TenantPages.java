package io.gatehouse.tenant;

import io.gatehouse.common.ApiException;
import io.gatehouse.common.FieldError;
import io.gatehouse.common.ValidationException;
import io.gatehouse.console.Chrome;
import io.gatehouse.console.Console;
import io.gatehouse.console.FormErrors;
import io.gatehouse.console.FormInput;
import io.gatehouse.console.ListView;
import io.gatehouse.gateway.GatewayService;
import io.gatehouse.gateway.GatewayService.GatewayView;
import io.gatehouse.proxy.StageSnapshot;
import io.gatehouse.tenant.TenantService.KeyBody;
import io.gatehouse.tenant.TenantService.KeyCreated;
import io.gatehouse.tenant.TenantService.KeyView;
import io.gatehouse.tenant.TenantService.RateLimit;
import io.gatehouse.tenant.TenantService.TenantBody;
import io.gatehouse.tenant.TenantService.TenantView;
import io.gatehouse.traffic.TenantUsage;
import io.gatehouse.traffic.TrafficRecorder;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestQuery;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A gateway's tenants in the console, over the admin API's {@link TenantService} (so the same rules and roles:
 * viewers read, maintainers change): each tenant with its description, rate limit, where config names it, its
 * API keys (prefix, expiry, last use, state) and its last minute of traffic per stage on this process's proxy.
 * Forms: create, edit and delete a tenant; issue a key (post-redirect-get, the secret carried once to the next
 * page in a cookie limited to this page, as for personal access tokens, so a reload creates and shows nothing)
 * and revoke one. A refused form is shown again with the error under its field, in the form it came from.
 */
@Path("/gateways/{gw}/tenants")
@Produces(MediaType.TEXT_HTML)
public class TenantPages {
    static final String NEW_KEY_COOKIE = "gatehouse-new-key";

    /** A tenant form as typed (create and edit). */
    @TemplateData
    public record TenantForm(String name, String description, String requestsPerSecond, String burst) {
        static TenantForm of(TenantView t) {
            return new TenantForm(t.name(), t.description(),
                    t.rateLimit() == null ? "" : String.valueOf(t.rateLimit().requestsPerSecond()),
                    t.rateLimit() == null ? "" : String.valueOf(t.rateLimit().burst()));
        }
    }

    /** The new-key form as typed. */
    @TemplateData
    public record KeyForm(String name, String expiresInDays) {
        static final KeyForm EMPTY = new KeyForm("", "");
    }

    /** A stage's last minute of one tenant's traffic. */
    @TemplateData
    public record StageUsage(String stage, TenantUsage.Row usage) {
    }

    /** What the page shows of one tenant, with its two forms. */
    @TemplateData
    public record TenantCard(TenantView tenant, List<String> namedBy, List<KeyView> keys, List<StageUsage> usage,
                             TenantForm edit, FormErrors editErrors, KeyForm key, FormErrors keyErrors) {
        /** An element id unique on the page (each tenant has its own forms). */
        public String id(String field) {
            return field + "-" + tenant.name();
        }
    }

    /** The key just created, shown once. */
    @TemplateData
    public record NewKey(String tenant, String name, String key, String prefix) {
    }

    @CheckedTemplate(basePath = "tenants")
    static class Templates {
        static native TemplateInstance list(Chrome chrome, GatewayView gateway, List<TenantCard> tenants,
                                            ListView paging, TenantForm form, FormErrors errors, NewKey created);
    }

    private final TenantService tenants;
    private final GatewayService gateways;
    private final Console console;
    private final TrafficRecorder recorder;

    public TenantPages(TenantService tenants, GatewayService gateways, Console console, TrafficRecorder recorder) {
        this.tenants = tenants;
        this.gateways = gateways;
        this.console = console;
        this.recorder = recorder;
    }

    private static String path(String gw) {
        return "/gateways/" + gw + "/tenants";
    }

    /**
     * Where a change to one tenant lands: the list searched for its name, so its card is on the page however many
     * tenants come before it (a page holds {@value TenantService#PAGE}).
     */
    private static String tenantPath(String gw, String tenant) {
        return path(gw) + "?q=" + URLEncoder.encode(tenant, StandardCharsets.UTF_8) + "#tenant-" + tenant;
    }

    @GET
    public TemplateInstance list(String gw, @RestQuery String q, @RestQuery String after) {
        return page(gw, q, after, new TenantForm("", "", "", ""), FormErrors.NONE, null, null, null,
                created(console.takeOnce(NEW_KEY_COOKIE, path(gw))));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(String gw, MultivaluedMap<String, String> values) {
        FormInput in = new FormInput(values);
        TenantForm form = form(in, in.raw("name").trim());
        try {
            if (!form.name().isEmpty() && exists(gw, form.name())) {
                throw new ValidationException(List.of(new FieldError("name", "a tenant of this name exists")));
            }
            tenants.put(gw, form.name(), body(form));
            return Console.redirect(path(gw), "Tenant " + form.name() + " created.");
        } catch (ValidationException e) {
            return Response.status(422).entity(page(gw, null, null, form, tenantErrors(e), null, null, null, null)).build();
        }
    }

    @POST
    @Path("{tenant}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response update(String gw, String tenant, MultivaluedMap<String, String> values) {
        tenants.get(gw, tenant); // 404 before anything else
        TenantForm form = form(new FormInput(values), tenant);
        try {
            tenants.put(gw, tenant, body(form));
            return Console.redirect(tenantPath(gw, tenant), "Tenant " + tenant + " saved.");
        } catch (ValidationException e) {
            return Response.status(422).entity(page(gw, tenant, null, new TenantForm("", "", "", ""), FormErrors.NONE,
                    tenant, form, tenantErrors(e), null)).build();
        }
    }

    @POST
    @Path("{tenant}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(String gw, String tenant) {
        try {
            tenants.delete(gw, tenant);
        } catch (ApiException e) {
            if (e.status() != 409) {
                throw e;
            }
            return Console.redirect(tenantPath(gw, tenant), "error", e.getMessage());
        }
        return Console.redirect(path(gw), "Tenant " + tenant + " deleted, with its keys.");
    }

    @POST
    @Path("{tenant}/keys")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createKey(String gw, String tenant, MultivaluedMap<String, String> values) {
        FormInput in = new FormInput(values);
        KeyForm form = new KeyForm(in.raw("key_name"), in.raw("expires_in_days"));
        String days = in.get("expires_in_days");
        try {
            KeyCreated created = tenants.createKey(gw, tenant, new KeyBody(in.get("key_name"),
                    days == null ? null : days.matches("\\d{1,5}") ? Integer.valueOf(days) : -1));
            Response redirect = Console.redirect(tenantPath(gw, tenant),
                    "Key " + created.name() + " of tenant " + tenant + " created.");
            return Response.fromResponse(redirect).cookie(Console.once(NEW_KEY_COOKIE, path(gw),
                    tenant + "|" + created.prefix() + "|" + created.key() + "|" + created.name())).build();
        } catch (ValidationException e) {
            // The service names the key's name "name"; the form calls it key_name (the tenant form has a name).
            List<FieldError> errors = e.errors().stream()
                    .map(f -> f.field().equals("name") ? new FieldError("key_name", f.message()) : f).toList();
            return Response.status(422).entity(page(gw, tenant, null, new TenantForm("", "", "", ""), FormErrors.NONE,
                    tenant, form, FormErrors.of(errors), null)).build();
        }
    }

    @POST
    @Path("{tenant}/keys/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revokeKey(String gw, String tenant, long id) {
        tenants.revokeKey(gw, tenant, id);
        return Console.redirect(tenantPath(gw, tenant), "Key " + id + " of tenant " + tenant
                + " revoked: it stops working on every proxy instance within a second.");
    }

    /** The service's rate_limit.* fields are the form's plain requests_per_second and burst. */
    private static FormErrors tenantErrors(ValidationException e) {
        return FormErrors.of(e.errors().stream().map(f -> f.field().startsWith("rate_limit.")
                ? new FieldError(f.field().substring("rate_limit.".length()), f.message()) : f).toList());
    }

    private static TenantForm form(FormInput in, String name) {
        return new TenantForm(name, in.raw("description"), in.raw("requests_per_second").trim(),
                in.raw("burst").trim());
    }

    /** Blank rate means no limit; anything not a small whole number is out of range, so the service names it. */
    private static TenantBody body(TenantForm f) {
        RateLimit limit = f.requestsPerSecond().isEmpty() && f.burst().isEmpty() ? null
                : new RateLimit(number(f.requestsPerSecond()), f.burst().isEmpty() ? null : number(f.burst()));
        return new TenantBody(f.description(), limit);
    }

    private boolean exists(String gw, String name) {
        try {
            tenants.get(gw, name);
            return true;
        } catch (ApiException e) {
            if (e.status() != 404) {
                throw e;
            }
            return false;
        }
    }

    private static Integer number(String s) {
        return s.matches("\\d{1,7}") ? Integer.valueOf(s) : -1;
    }

    private static NewKey created(String once) {
        if (once == null) {
            return null;
        }
        String[] parts = once.split("\\|", 4);
        return parts.length < 4 ? null : new NewKey(parts[0], parts[3], parts[2], parts[1]);
    }

    /**
     * The page of tenants {@code q} finds after {@code after}; {@code failedTenant} names the tenant whose edit form
     * ({@code edit} errors) or key form ({@code key} errors) was refused, shown again as typed (the callers search
     * for its name, so it is on the page).
     */
    private TemplateInstance page(String gw, String q, String after, TenantForm form, FormErrors errors,
                                  String failedTenant, Object failedForm, FormErrors failedErrors, NewKey created) {
        GatewayView gateway = gateways.get(gw);
        var found = tenants.page(gw, q, after);
        List<TenantCard> cards = new ArrayList<>();
        for (TenantView t : found.items()) {
            List<StageUsage> usage = new ArrayList<>();
            for (String stage : gateway.stages()) {
                TenantUsage.Row row = recorder.tenantUsage().rows(StageSnapshot.key(gw, stage)).stream()
                        .filter(r -> r.tenant().equals(t.name())).findFirst().orElse(null);
                if (row != null) {
                    usage.add(new StageUsage(stage, row));
                }
            }
            boolean failed = t.name().equals(failedTenant);
            TenantForm edit = failed && failedForm instanceof TenantForm f ? f : TenantForm.of(t);
            FormErrors editErrors = failed && failedForm instanceof TenantForm ? failedErrors : FormErrors.NONE;
            KeyForm key = failed && failedForm instanceof KeyForm k ? k : KeyForm.EMPTY;
            FormErrors keyErrors = failed && failedForm instanceof KeyForm ? failedErrors : FormErrors.NONE;
            cards.add(new TenantCard(t, tenants.namedBy(gw, t.name()), tenants.keys(gw, t.name()), usage, edit,
                    editErrors, key, keyErrors));
        }
        return Templates.list(console.chrome("Tenants · " + gw, gateway.team()), gateway, cards,
                ListView.of(path(gw), "tenant", q, after, found), form, errors, created);
    }
}
