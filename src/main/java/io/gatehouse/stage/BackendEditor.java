package io.gatehouse.stage;

import io.gatehouse.common.PassHost;
import io.gatehouse.common.TenantSource;
import io.gatehouse.balance.BalancerType;
import io.gatehouse.balance.HashKey;
import io.gatehouse.balance.TenantFallback;
import io.gatehouse.console.FormErrors;
import io.gatehouse.stage.BackendForm.HostRow;
import io.quarkus.qute.TemplateData;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the backend editor fragment ({@code tags/backendEditor.html}) renders: a {@link BackendForm} under
 * an input-name prefix, with each input's name, value, error and, for hosts, its share of traffic.
 * The same fragment edits a stage's config and a resource's per-stage override.
 */
@TemplateData
public record BackendEditor(String prefix, BackendForm form, FormErrors errors, boolean readOnly) {

    @TemplateData
    public record HostInput(String list, String index, String url, String weight, String urlError, String weightError,
                            String share, String priority, String priorityError) {
        public String urlName() {
            return list + "[" + index + "].url";
        }

        public String weightName() {
            return list + "[" + index + "].weight";
        }

        public String priorityName() {
            return list + "[" + index + "].priority";
        }
    }

    @TemplateData
    public record TenantInput(int index, String nameInput, String name, String nameError, String hostsList,
                              List<HostInput> hosts, String hostsError) {
    }

    public List<String> types() {
        return BalancerType.wireNames();
    }

    /** The types that ignore weights, for console.js's live shares ({@code data-equal-shares}), comma-separated. */
    public String equalShareTypes() {
        return String.join(",", Arrays.stream(BalancerType.values()).filter(t -> !t.weighted())
                .map(BalancerType::wireName).toList());
    }

    /** Each type's option text: its display name with the wire name beside it (BalancerType owns both). */
    public java.util.Map<String, String> typeLabels() {
        java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
        BalancerType.wireNames().forEach(t -> labels.put(t, BalancerType.displayNameOf(t) + " (" + t + ")"));
        return labels;
    }

    public List<String> passHosts() {
        return PassHost.wireNames();
    }

    public List<String> hashOn() {
        return HashKey.On.wireNames();
    }

    public List<String> tenantFroms() {
        return TenantSource.wireNames();
    }

    public List<String> unknownTenants() {
        return UnknownTenant.wireNames();
    }

    public List<String> fallbacks() {
        return TenantFallback.wireNames();
    }

    /** An input's full name: {@code name("retries")} is {@code backend.retries}. */
    public String name(String field) {
        return prefix + "." + field;
    }

    public String error(String field) {
        return errors.get(name(field));
    }

    /** The DOM id of the input for {@code field}, unique on a page holding several editors. */
    public String inputId(String field) {
        return id() + "-" + field;
    }

    /** A DOM id stem for this editor (prefixes hold dots, which CSS selectors dislike). */
    public String id() {
        return "ed-" + prefix.replaceAll("[^A-Za-z0-9_-]", "-");
    }

    /** The name of a control that shows or hides parts of this editor (see console.js, data-toggle). */
    public String toggle(String control) {
        return id() + "-" + control;
    }

    /** A data-show-when value: show the part while {@code control} has one of {@code values} (comma-separated). */
    public String show(String control, String values) {
        return toggle(control) + ":" + values;
    }

    public List<HostInput> hosts() {
        return inputs(name("hosts"), form.hosts());
    }

    public List<TenantInput> tenants() {
        List<TenantInput> out = new ArrayList<>();
        for (int t = 0; t < form.tenants().size(); t++) {
            String at = name("tenants[" + t + "]");
            var row = form.tenants().get(t);
            out.add(new TenantInput(t, at + ".name", row.name(), errors.get(at + ".name"), at + ".hosts",
                    inputs(at + ".hosts", row.hosts()), errors.get(at + ".hosts")));
        }
        return out;
    }

    /** Shares while every host is up: only the highest priority tier gets traffic, lower tiers are spares. */
    private List<HostInput> inputs(String list, List<HostRow> rows) {
        BalancerType type = BalancerType.find(form.type());
        BalancerType shares = type == null ? BalancerType.DEFAULT : type;
        int top = rows.stream().mapToInt(BackendEditor::priority).max().orElse(0);
        long sum = 0;
        int inTop = 0;
        for (HostRow r : rows) {
            if (priority(r) == top) {
                sum += weight(r);
                inTop++;
            }
        }
        List<HostInput> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            HostRow r = rows.get(i);
            boolean spare = priority(r) != top;
            double share = spare || (shares.weighted() && sum == 0) ? 0 : shares.share(weight(r), (int) sum, inTop) * 100;
            String at = list + "[" + i + "]";
            out.add(new HostInput(list, String.valueOf(i), r.url(), r.weight(), errors.get(at + ".url"), errors.get(at + ".weight"),
                    String.format(Locale.ROOT, "%.1f%%", share), r.priority(), errors.get(at + ".priority")));
        }
        return out;
    }

    private static int priority(HostRow r) {
        try {
            return r.priority().isBlank() ? 0 : Integer.parseInt(r.priority().trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int weight(HostRow r) {
        try {
            int w = Integer.parseInt(r.weight().trim());
            return w < 1 ? 0 : w;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The row the browser clones for "Add host": {@code __LIST__} and {@code __I__} are filled in by console.js. */
    public HostInput templateRow() {
        return new HostInput("__LIST__", "__I__", "", "1", null, null, "", "0", null);
    }

    /** The first row of a tenant added in the browser. */
    public HostInput templateTenantRow() {
        return new HostInput("__LIST__[__T__].hosts", "0", "", "1", null, null, "100.0%", "0", null);
    }
}
