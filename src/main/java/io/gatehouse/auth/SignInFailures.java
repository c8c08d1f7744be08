package io.gatehouse.auth;

import io.quarkus.security.AuthenticationFailedException;

import java.util.Map;

/**
 * Failed sign-ins that tell the person why. Quarkus's {@link AuthenticationFailedException} is final, so the
 * kind travels in its attributes: a <em>refusal</em> of valid credentials (an OIDC identity not linked to the
 * account of its name) carries a message meant for the person; wrong credentials never say which part was
 * wrong. The API shows a refusal in its 401 problem, the console on the sign-in page.
 */
public final class SignInFailures {
    static final String REFUSED = "gatehouse.sign-in-refused";

    private SignInFailures() {
    }

    public static AuthenticationFailedException refused(String message) {
        return new AuthenticationFailedException(message, Map.of(REFUSED, Boolean.TRUE));
    }

    /** The message for the person if {@code e} is a refusal, else null. */
    public static String refusal(AuthenticationFailedException e) {
        return Boolean.TRUE.equals(e.getAttribute(REFUSED)) ? e.getMessage() : null;
    }
}
