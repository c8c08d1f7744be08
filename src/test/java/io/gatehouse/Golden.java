package io.gatehouse;

/**
 * The one switch for every golden-file test: {@code -Dgolden.update=true} rewrites the golden files
 * from what the code makes now (then review the diff before committing).
 */
public final class Golden {
    private Golden() {
    }

    public static boolean updating() {
        return Boolean.getBoolean("golden.update");
    }
}
