package io.gatehouse.console;

import io.gatehouse.common.Keyset;
import io.quarkus.qute.TemplateData;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where a console list is ({@link Keyset}): the search typed, whether this is a later page, how many rows match,
 * and the links to the next and the first page. {@code base} is the list's path with any query it keeps
 * (filters), {@code noun} what a row is ("resource"). The {@code search} and {@code pager} tags render it.
 */
@TemplateData
public record ListView(String base, String noun, String q, boolean later, long total, String next) {

    public static ListView of(String base, String noun, String q, String after, Keyset.Page<?> page) {
        return new ListView(base, noun, q == null ? "" : q, after != null && !after.isBlank(), page.total(), page.next());
    }

    /** The first page of this search. */
    public String firstHref() {
        return base + (q.isEmpty() ? "" : join() + "q=" + encode(q));
    }

    public String nextHref() {
        return next == null ? null : base + join() + (q.isEmpty() ? "" : "q=" + encode(q) + "&") + "after=" + encode(next);
    }

    /** "105 resources", "1 matching resource". */
    public String count() {
        return total + " " + (q.isEmpty() ? "" : "matching ") + noun + (total == 1 ? "" : "s");
    }

    /** Other query parameters the list keeps, as hidden inputs of the search form: none unless {@code base} has a query. */
    public String basePath() {
        int query = base.indexOf('?');
        return query < 0 ? base : base.substring(0, query);
    }

    private String join() {
        return base.contains("?") ? "&" : "?";
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
