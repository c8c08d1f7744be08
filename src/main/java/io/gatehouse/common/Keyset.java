package io.gatehouse.common;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.persistence.TypedQuery;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The one way a list is paged and searched, in the API and the console alike: keyset paging over a unique sort
 * key ({@code after} the last key shown, so page 500 costs the same index range scan as page 1, where an offset
 * would read and drop every row before it) and a case-insensitive "contains" search over a few columns. A page
 * says how many rows match in all and the key to continue after, or null on the last page.
 */
public final class Keyset {
    public static final int MAX_LIMIT = 1000;

    /** One page: {@code next} is the {@code after} of the next page, null on the last. */
    public record Page<T>(List<T> items, long total, String next) {
        public <R> Page<R> map(Function<T, R> f) {
            return new Page<>(items.stream().map(f).toList(), total, next);
        }
    }

    /**
     * What to list: the entity, its filter ({@code where}, JPQL over the entity's fields, with {@code params}),
     * the sort key (a unique field; {@code descending} for newest first) and the fields the search looks in.
     */
    public record Query<E>(Class<E> entity, String where, Map<String, Object> params, String key, boolean descending,
                           List<String> searched) {
    }

    private Keyset() {
    }

    /**
     * The checked request: {@code limit} 1..{@value #MAX_LIMIT} (else 400 naming {@code limit}), {@code q} at
     * most 200 characters.
     */
    public static void check(String q, Integer limit) {
        Violations v = new Violations();
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            v.add("limit", "must be from 1 to " + MAX_LIMIT);
        }
        if (q != null && q.length() > 200) {
            v.add("q", "must be at most 200 characters");
        }
        if (!v.isEmpty()) {
            throw ValidationException.badRequest(v.errors());
        }
    }

    /**
     * A page of {@code query}'s rows that contain {@code q} (blank: all) in a searched field, after the key
     * {@code after} (null or blank: from the first), at most {@code size}. {@code keyOf} gives a row's key as
     * text and {@code parseKey} reads it back (null when the text is no key: the first page).
     */
    public static <E> Page<E> page(Query<E> query, String q, String after, int size, Function<E, Object> keyOf,
                                   Function<String, Object> parseKey) {
        StringBuilder where = new StringBuilder(query.where());
        Map<String, Object> params = new HashMap<>(query.params());
        if (q != null && !q.isBlank() && !query.searched().isEmpty()) {
            where.append(" and (").append(String.join(" or ", query.searched().stream()
                    .map(f -> "lower(" + f + ") like :q escape '!'").toList())).append(')');
            params.put("q", "%" + q.trim().toLowerCase(Locale.ROOT)
                    .replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        }
        String entity = query.entity().getSimpleName();
        long total = bind(Panache.getEntityManager().createQuery("select count(*) from " + entity + " where " + where,
                Long.class), params).getSingleResult();
        Object from = after == null || after.isBlank() ? null : parseKey.apply(after);
        if (from != null) {
            where.append(" and ").append(query.key()).append(query.descending() ? " < " : " > ").append(":after");
            params.put("after", from);
        }
        List<E> rows = bind(Panache.getEntityManager().createQuery("from " + entity + " where " + where + " order by "
                + query.key() + (query.descending() ? " desc" : ""), query.entity()), params)
                .setMaxResults(size + 1).getResultList();
        String next = rows.size() > size ? String.valueOf(keyOf.apply(rows.get(size - 1))) : null;
        return new Page<>(rows.size() > size ? rows.subList(0, size) : rows, total, next);
    }

    /** A key that is a whole number (ids, version and release numbers). */
    public static Object longKey(String text) {
        try {
            return Long.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The same for an int field (JPA compares a parameter with the field's own type). */
    public static Object intKey(String text) {
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static <T> TypedQuery<T> bind(TypedQuery<T> query, Map<String, Object> params) {
        params.forEach(query::setParameter);
        return query;
    }
}
