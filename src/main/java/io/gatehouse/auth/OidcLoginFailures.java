package io.gatehouse.auth;

import io.quarkus.security.AuthenticationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.AuthenticationRedirectException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * The end of a failed "Sign in with Keycloak". The code flow's callback (/login/oidc) is authenticated by
 * quarkus-oidc below JAX-RS, and a failure there (the identity is not linked to the account of its name, or
 * the provider's answer did not verify) would otherwise be a blank 401. Here it becomes a redirect to the
 * sign-in page, which says why.
 */
@ApplicationScoped
public class OidcLoginFailures {
    private static final Logger LOG = Logger.getLogger(OidcLoginFailures.class);
    static final String GENERIC = "Signing in with the identity provider did not work. Try again, or sign in with a "
            + "Gatehouse account.";

    void install(@Observes Router router) {
        // Failure handlers are looked up from the first route on, so this one runs before Quarkus's own.
        router.route("/login/oidc").order(Integer.MIN_VALUE).failureHandler(this::failed);
    }

    void failed(RoutingContext rc) {
        if (rc.response().headWritten() || !isAuthenticationFailure(rc.failure(), rc.statusCode())) {
            rc.next();
            return;
        }
        String refusal = refusal(rc.failure());
        if (refusal == null) {
            LOG.debugf(rc.failure(), "OIDC sign-in failed");
        } else {
            LOG.infof("OIDC sign-in refused: %s", refusal);
        }
        rc.response().setStatusCode(303).putHeader("Location", "/login")
                .addCookie(LoginNotice.vertx(refusal != null ? refusal : GENERIC)).end();
    }

    private static boolean isAuthenticationFailure(Throwable failure, int status) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationRedirectException) {
                // Not a failure: how quarkus-oidc redirects, e.g. to drop code and state from the URL.
                return false;
            }
            if (t instanceof AuthenticationException) {
                return true;
            }
        }
        return failure == null && status == 401;
    }

    /** The refusal's message somewhere in the cause chain (quarkus-oidc wraps the augmentor's failure). */
    static String refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationFailedException a && SignInFailures.refusal(a) != null) {
                return SignInFailures.refusal(a);
            }
        }
        return null;
    }
}
