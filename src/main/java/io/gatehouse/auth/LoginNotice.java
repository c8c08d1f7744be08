package io.gatehouse.auth;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import jakarta.ws.rs.core.NewCookie;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A message for the sign-in page that explains why a sign-in did not work (an OIDC identity that is not
 * linked, too many failed attempts). It rides a short-lived cookie on the redirect to /login rather than the
 * URL, so nobody can link to the sign-in page with a text of their choosing.
 */
public final class LoginNotice {
    static final String COOKIE = "gatehouse-login-notice";
    private static final int MAX_AGE_SECONDS = 60;

    private LoginNotice() {
    }

    /** The notice as a cookie on a Vert.x response (failure handlers below JAX-RS). */
    public static Cookie vertx(String message) {
        return vertx(COOKIE, message);
    }

    /** A short-lived text for the sign-in page in a cookie of this name. */
    static Cookie vertx(String name, String message) {
        return Cookie.cookie(name, encode(message)).setPath("/login").setMaxAge(MAX_AGE_SECONDS).setHttpOnly(true)
                .setSameSite(CookieSameSite.LAX);
    }

    /** The notice as a cookie on a JAX-RS response. */
    public static NewCookie jaxrs(String message) {
        return new NewCookie.Builder(COOKIE).value(encode(message)).path("/login").maxAge(MAX_AGE_SECONDS)
                .httpOnly(true).sameSite(NewCookie.SameSite.LAX).build();
    }

    /** Clears the notice once the page has shown it. */
    static NewCookie cleared() {
        return new NewCookie.Builder(COOKIE).value("").path("/login").maxAge(0).httpOnly(true).build();
    }

    /** The message in a cookie value, or null when it is absent or not ours. */
    static String decode(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
            return text.isBlank() || text.length() > 500 ? null : text;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String encode(String message) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(message.getBytes(StandardCharsets.UTF_8));
    }
}
