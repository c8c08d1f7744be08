package io.gatehouse.auth;

import io.gatehouse.GatehouseConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.mindrot.jbcrypt.BCrypt;

import java.nio.charset.StandardCharsets;

/**
 * bcrypt for local accounts, at {@code gatehouse.login.bcrypt-cost}. bcrypt reads at most 72 bytes, so longer
 * passwords are refused, not cut. A hash carries its cost, so a changed cost applies to passwords set from then on.
 * Made at start, so a cost out of range stops the start rather than the first sign-in.
 */
@Startup
@ApplicationScoped
public class Passwords {
    public static final int MIN_LENGTH = 8;
    public static final int MAX_BYTES = 72;
    /** jBCrypt's range for the cost (log2 of the rounds). */
    static final int MIN_COST = 4;
    static final int MAX_COST = 31;

    private final int cost;
    /** A real hash to check against when the user does not exist, so timing does not reveal usernames. */
    private final String dummy;

    public Passwords(GatehouseConfig config) {
        cost = config.login().bcryptCost();
        if (cost < MIN_COST || cost > MAX_COST) {
            throw new IllegalStateException("gatehouse.login.bcrypt-cost must be from " + MIN_COST + " to " + MAX_COST
                    + ", not " + cost);
        }
        dummy = BCrypt.hashpw("not-a-password", BCrypt.gensalt(cost));
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

    public String hash(String password) {
        return BCrypt.hashpw(password, BCrypt.gensalt(cost));
    }

    public boolean matches(String password, String hashOrNull) {
        if (hashOrNull == null) {
            BCrypt.checkpw(password, dummy);
            return false;
        }
        return BCrypt.checkpw(password, hashOrNull);
    }
}
