package io.gatehouse.auth;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.Locale;

/**
 * Login CSRF: Quarkus's form sign-in ({@code POST /j_security_check}) takes no CSRF token, so another site
 * could post its own credentials there and sign a visitor in to the attacker's account, whose pages then
 * collect what the visitor types. Refused here before authentication, the way Go's CrossOriginProtection
 * does it: a browser's {@code Sec-Fetch-Site} must say same-origin (or none: typed, bookmarked); without it,
 * an {@code Origin} must name this host. Requests with neither (curl, scripts) are not from a browser page and
 * pass. The console's other forms carry CSRF tokens.
 */
@ApplicationScoped
public class SignInOrigin {
    private static final Logger LOG = Logger.getLogger(SignInOrigin.class);
    static final String PATH = "/j_security_check";

    void install(@Observes Router router) {
        router.route(HttpMethod.POST, PATH).order(Integer.MIN_VALUE).handler(this::check);
    }

    void check(RoutingContext rc) {
        String site = rc.request().getHeader("Sec-Fetch-Site");
        String origin = rc.request().getHeader("Origin");
        if (allowed(site, origin, rc.request().getHeader("Host"))) {
            rc.next();
            return;
        }
        LOG.warnf("cross-site sign-in refused (Sec-Fetch-Site %s, Origin %s)", site, origin);
        rc.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8")
                .end("Cross-site sign-in refused: sign in from Gatehouse's own sign-in page.\n");
    }

    static boolean allowed(String secFetchSite, String origin, String host) {
        if (secFetchSite != null) {
            String s = secFetchSite.trim().toLowerCase(Locale.ROOT);
            return s.equals("same-origin") || s.equals("none");
        }
        if (origin == null) {
            return true;
        }
        if (host == null) {
            return false;
        }
        try {
            URI o = URI.create(origin.trim());
            String authority = o.getRawAuthority();
            return authority != null && authority.equalsIgnoreCase(host.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
