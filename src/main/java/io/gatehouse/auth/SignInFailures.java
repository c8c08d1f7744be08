package io.gatehouse.auth;

import io.quarkus.security.AuthenticationFailedException;

import java.util.Map;

/**
 * Failed sign-ins that tell the person why. Quarkus's {@link AuthenticationFailedException} is final, so the
 * kind travels in its attributes: a <em>refusal</em> of valid credentials (an OIDC identity not linked to the
 * account of its name) carries a message meant for the person; wrong credentials never say which part was
 * wrong; a <em>throttled</em> sign-in (too many failures) is a refusal that also says when to try again. The API
 * shows a refusal in its problem (401, or 429 with Retry-After), the console on the sign-in page.
 */
public final class SignInFailures {
    static final String REFUSED = "gatehouse.sign-in-refused";
    static final String RETRY_AFTER = "gatehouse.retry-after-seconds";
    /** In every refusal of an OIDC identity's account (so a log filter can recognise quarkus-oidc's copy). */
    static final String ACCOUNT_REFUSAL = "Gatehouse account";

    private SignInFailures() {
    }

    public static AuthenticationFailedException refused(String message) {
        return new AuthenticationFailedException(message, Map.of(REFUSED, Boolean.TRUE));
    }

    /** Too many failed sign-ins ({@link LoginThrottle}): refused without checking the password. */
    public static AuthenticationFailedException throttled(long retryAfterSeconds) {
        long minutes = Math.max(1, (retryAfterSeconds + 59) / 60);
        return new AuthenticationFailedException("Too many failed sign-ins from your address. Try again in "
                + (minutes == 1 ? "a minute." : minutes + " minutes."), Map.of(REFUSED, Boolean.TRUE, RETRY_AFTER, retryAfterSeconds));
    }

    /** Seconds until a throttled sign-in may be tried again, or 0 if {@code e} is not a throttled one. */
    public static long retryAfter(AuthenticationFailedException e) {
        return e.getAttribute(RETRY_AFTER) instanceof Long seconds ? seconds : 0;
    }

    /** The message for the person if {@code e} is a refusal, else null. */
    public static String refusal(AuthenticationFailedException e) {
        return Boolean.TRUE.equals(e.getAttribute(REFUSED)) ? e.getMessage() : null;
    }
}
