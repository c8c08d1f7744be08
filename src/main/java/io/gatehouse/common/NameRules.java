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
}
