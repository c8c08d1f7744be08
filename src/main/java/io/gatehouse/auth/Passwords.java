package io.gatehouse.auth;

import org.mindrot.jbcrypt.BCrypt;

import java.nio.charset.StandardCharsets;

/** bcrypt for local accounts. bcrypt reads at most 72 bytes, so longer passwords are refused, not cut. */
public final class Passwords {
    public static final int MIN_LENGTH = 8;
    public static final int MAX_BYTES = 72;
    /** Cost 10 is about 50-80 ms a check on our machines: slow for guessing, bearable for HTTP Basic. */
    private static final int COST = 10;
    /** A real hash to check against when the user does not exist, so timing does not reveal usernames. */
    private static final String DUMMY = BCrypt.hashpw("not-a-password", BCrypt.gensalt(COST));

    private Passwords() {
    }

    public static String problem(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            return "must be at least " + MIN_LENGTH + " characters";
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "must be at most " + MAX_BYTES + " bytes (bcrypt's limit)";
        }
        return null;
    }

    public static String hash(String password) {
        return BCrypt.hashpw(password, BCrypt.gensalt(COST));
    }

    public static boolean matches(String password, String hashOrNull) {
        if (hashOrNull == null) {
            BCrypt.checkpw(password, DUMMY);
            return false;
        }
        return BCrypt.checkpw(password, hashOrNull);
    }
}
