package io.gatehouse.console;

import jakarta.ws.rs.core.MultivaluedMap;

import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A submitted HTML form, read by input name; blank inputs read as null. */
public final class FormInput {
    private final MultivaluedMap<String, String> values;

    public FormInput(MultivaluedMap<String, String> values) {
        this.values = values;
    }

    /** The trimmed value, or null when absent or blank. */
    public String get(String name) {
        String v = values == null ? null : values.getFirst(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** The value as typed (kept for re-display), empty string when absent. */
    public String raw(String name) {
        String v = values == null ? null : values.getFirst(name);
        return v == null ? "" : v;
    }

    public boolean checked(String name) {
        String v = get(name);
        return v != null && !v.equals("false");
    }

    /**
     * The row indexes present under {@code listName} ({@code backend.hosts} finds {@code backend.hosts[3].url}),
     * ascending. Rows removed in the browser leave gaps; callers renumber them.
     */
    public TreeSet<Integer> indexes(String listName) {
        Pattern p = Pattern.compile("^" + Pattern.quote(listName) + "\\[(\\d{1,4})]\\..*");
        TreeSet<Integer> out = new TreeSet<>();
        if (values != null) {
            for (Map.Entry<String, java.util.List<String>> e : values.entrySet()) {
                Matcher m = p.matcher(e.getKey());
                if (m.matches()) {
                    out.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        return out;
    }
}
