package io.gatehouse.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.audit.AuditService.AuditView;
import io.gatehouse.audit.AuditService.Filter;
import io.gatehouse.common.Keyset;
import io.gatehouse.common.Violations;
import io.gatehouse.console.Chrome;
import io.gatehouse.console.Console;
import io.gatehouse.console.FormErrors;
import io.gatehouse.console.ListView;
import io.gatehouse.gateway.GatewayService;
import io.gatehouse.gateway.GatewayService.GatewayView;
import io.gatehouse.common.JsonDiff;
import io.gatehouse.common.JsonDiff.FieldChange;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestQuery;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A gateway's audit log in the console: who changed what and when, newest first, filtered by actor and
 * a time window, searched and paged like every console list ({@link Keyset}). Each entry shows its change
 * field by field ({@link JsonDiff}, the diff the publishing pages use) with the stored before/after JSON
 * expandable. Reads through {@link AuditService},
 * the API's own service, so viewers read it and other teams get a 404.
 */
@Path("/gateways/{gw}/audit")
@Produces(MediaType.TEXT_HTML)
public class AuditPages {
    static final int PAGE_SIZE = 25;
    /** What a row is, for the search box and the count ("27 changes"). */
    private static final String NOUN = "change";

    /** The filter form as typed; times are {@code datetime-local} values, read as UTC. */
    public record FilterForm(String actor, String since, String until) {
        /** The list's path with the filters set (the pager's links add the search and where to continue). */
        String base(String gw) {
            StringBuilder query = new StringBuilder();
            for (String[] p : new String[][]{{"actor", actor}, {"since", since}, {"until", until}}) {
                if (!p[1].isEmpty()) {
                    query.append(query.isEmpty() ? "?" : "&").append(p[0]).append('=').append(enc(p[1]));
                }
            }
            return "/gateways/" + gw + "/audit" + query;
        }
    }

    @TemplateData
    public record Row(AuditView entry, List<FieldChange> changes, String beforeJson, String afterJson) {
        /** "created", "deleted" or "changed", from which side is missing. */
        public String kind() {
            return entry.before() == null ? "created" : entry.after() == null ? "deleted" : "changed";
        }
    }

    @CheckedTemplate(basePath = "audit")
    static class Templates {
        static native TemplateInstance index(Chrome chrome, GatewayView gateway, FilterForm form, FormErrors errors,
                                             List<String> actors, List<Row> rows, ListView paging);
    }

    private final AuditService audit;
    private final GatewayService gateways;
    private final Console console;
    private final ObjectMapper mapper;

    public AuditPages(AuditService audit, GatewayService gateways, Console console, ObjectMapper mapper) {
        this.audit = audit;
        this.gateways = gateways;
        this.console = console;
        this.mapper = mapper;
    }

    @GET
    public Response index(String gw, @RestQuery String actor, @RestQuery String since, @RestQuery String until,
                          @RestQuery String q, @RestQuery String after) {
        GatewayView gateway = gateways.get(gw);
        FilterForm form = new FilterForm(actor == null ? "" : actor.trim(), since == null ? "" : since.trim(),
                until == null ? "" : until.trim());
        Violations v = new Violations();
        OffsetDateTime from = time(form.since(), "since", v);
        OffsetDateTime to = time(form.until(), "until", v);
        if (from != null && to != null && !to.isAfter(from)) {
            v.add("until", "must be after since");
        }
        Chrome chrome = console.chrome("Audit · " + gw, gateway.team());
        List<String> actors = audit.actors(gw);
        if (q != null && q.length() > 200) {
            v.add("q", "must be at most 200 characters");
        }
        if (!v.isEmpty()) {
            return Response.status(422).entity(Templates.index(chrome, gateway, form, FormErrors.of(v.errors()), actors,
                    List.of(), ListView.of(form.base(gw), NOUN, q, null, new Keyset.Page<>(List.of(), 0, null))))
                    .build();
        }
        Keyset.Page<AuditView> result = audit.page(gw, new Filter(form.actor(), from, to), q, after, PAGE_SIZE);
        List<Row> rows = new ArrayList<>();
        for (AuditView e : result.items()) {
            rows.add(new Row(e, JsonDiff.fields(e.before(), e.after()), pretty(e.before()), pretty(e.after())));
        }
        return Response.ok(Templates.index(chrome, gateway, form, FormErrors.NONE, actors, rows,
                ListView.of(form.base(gw), NOUN, q, after, result))).build();
    }

    /**
     * A {@code datetime-local} value ({@code 2026-11-23T10:00}, seconds optional) read as UTC, or an ISO-8601
     * time with an offset as the API takes it; blank means no bound.
     */
    static OffsetDateTime time(String value, String field, Violations v) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(value).atOffset(ZoneOffset.UTC);
        } catch (DateTimeParseException local) {
            try {
                return OffsetDateTime.parse(value);
            } catch (DateTimeParseException e) {
                v.add(field, "must be a date and time in UTC, e.g. 2026-11-23T10:00");
                return null;
            }
        }
    }

    private String pretty(JsonNode node) {
        if (node == null) {
            return null;
        }
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }
}
