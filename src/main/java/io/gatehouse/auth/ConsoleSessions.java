package io.gatehouse.auth;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.HexFormat;

/**
 * Which console sessions still count. Quarkus form authentication keeps a session as its principal's name in
 * an encrypted cookie and restores nothing else, so a session cannot be ended on the server unless that name
 * says when the session began. A console sign-in therefore signs in as {@code "alice 1733570000000.9f2c41d0"}:
 * the username (which can hold no space, V1's check), then the sign-in's millisecond and a random tag that tells
 * the session apart. {@link LocalIdentityProviders.Session} accepts a session only while its account is enabled
 * and it began at or after the account's {@code sessions_valid_after} (set by a password change or reset), or is
 * the {@code kept_session} the user changed their password in. Tampering is not possible: the cookie is
 * AES-GCM-sealed by Quarkus with the session key.
 */
public final class ConsoleSessions {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A signed-in console session: the account's name and this session's tag (null for an old, untagged cookie). */
    public record Session(String username, String tag, long startedAtMillis) {
        /** The principal name stored in the cookie. */
        public String principal() {
            return tag == null ? username : username + " " + tag;
        }
    }

    private ConsoleSessions() {
    }

    /** A new session of {@code username}, beginning now. */
    static Session begin(String username) {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        long now = System.currentTimeMillis();
        return new Session(username, now + "." + HexFormat.of().formatHex(random), now);
    }

    /** The session a cookie's principal names. */
    static Session parse(String principal) {
        int space = principal.indexOf(' ');
        if (space < 0) {
            return new Session(principal, null, 0);
        }
        String tag = principal.substring(space + 1);
        long started;
        try {
            started = Long.parseLong(tag.substring(0, Math.max(0, tag.indexOf('.'))));
        } catch (NumberFormatException e) {
            started = 0;
        }
        return new Session(principal.substring(0, space), tag, started);
    }

    /** Whether {@code session} still signs {@code user} in. */
    static boolean valid(AppUser user, Session session) {
        if (user.disabled()) {
            return false;
        }
        OffsetDateTime after = user.sessionsValidAfter;
        return after == null || session.startedAtMillis() >= after.toInstant().toEpochMilli()
                || session.tag() != null && session.tag().equals(user.keptSession);
    }
}
