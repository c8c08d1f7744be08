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
 * The two session endpoints that Quarkus answers itself, below JAX-RS, and that cannot carry the console's CSRF
 * token: form sign-in ({@code POST /j_security_check}) and the provider sign-out ({@code GET /logout/oidc}).
 * Another site could post its own credentials to the first and sign a visitor in to the attacker's account
 * (login CSRF), or link to the second and end the visitor's Keycloak session. Both are refused here before
 * authentication, the way Go's CrossOriginProtection does it: a browser's {@code Sec-Fetch-Site} must say
 * same-origin (or none: typed, bookmarked); without it, an {@code Origin} must name this host. Requests with
 * neither (curl, scripts, old browsers' GETs) are not from another site's page and pass.
 */
@ApplicationScoped
public class CrossSiteGuard {
    private static final Logger LOG = Logger.getLogger(CrossSiteGuard.class);

    void install(@Observes Router router) {
        router.route(HttpMethod.POST, "/j_security_check").order(Integer.MIN_VALUE).handler(this::check);
        router.route(HttpMethod.GET, LoginPage.OIDC_LOGOUT_PATH).order(Integer.MIN_VALUE).handler(this::check);
    }

    void check(RoutingContext rc) {
        String site = rc.request().getHeader("Sec-Fetch-Site");
        String origin = rc.request().getHeader("Origin");
        if (allowed(site, origin, rc.request().getHeader("Host"))) {
            rc.next();
            return;
        }
        LOG.warnf("cross-site %s %s refused (Sec-Fetch-Site %s, Origin %s)", rc.request().method(), rc.request().path(),
                site, origin);
        rc.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8")
                .end("Cross-site request refused: sign in and out from Gatehouse's own pages.\n");
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
            String authority = URI.create(origin.trim()).getRawAuthority();
            return authority != null && authority.equalsIgnoreCase(host.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
