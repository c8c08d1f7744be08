package io.gatehouse.common;

/**
 * What each kind of name may be, in words for the person who typed it (API problems and the console's field
 * errors alike): the patterns themselves ({@code [a-z][a-z0-9-]{1,62}}) stay in the code and the schema, a
 * regular expression is not an explanation.
 */
public final class NameRules {
    /** Gateways and team slugs: {@code [a-z][a-z0-9-]{1,62}}. */
    public static final String SLUG = "use 2 to 63 lower-case letters, digits and hyphens (-), starting with a letter";
    /** Usernames: {@code [a-z][a-z0-9._-]{1,63}}. */
    public static final String USERNAME = "use 2 to 64 lower-case letters, digits, dots, underscores and hyphens,"
            + " starting with a letter";
    /** Stages: {@code [a-z][a-z0-9-]{0,31}}. */
    public static final String STAGE = "stage name: use 1 to 32 lower-case letters, digits and hyphens, starting with a letter";
    /** Resources: {@code [A-Za-z][A-Za-z0-9_-]{0,63}}. */
    public static final String RESOURCE = "resource name: use 1 to 64 letters, digits, underscores and hyphens, starting"
            + " with a letter";
    /** Tenants: {@code [A-Za-z0-9._-]{1,64}}. */
    public static final String TENANT = "tenant name: use 1 to 64 letters, digits, dots, underscores and hyphens";

    private NameRules() {
    }

    /**
     * Whether {@code value} is a tenant name, {@code [A-Za-z0-9._-]{1,64}} ({@link #TENANT}). The proxy asks this of
     * every tenant header value, so a value with odd characters is no tenant at all rather than a lookup key;
     * hence a loop and no regex.
     */
    public static boolean isTenantName(String value) {
        if (value == null || value.isEmpty() || value.length() > 64) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
