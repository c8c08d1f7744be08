package io.gatehouse.auth;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.RestQuery;

import java.net.URI;

/**
 * The console's sign-in page. The form posts to Quarkus form authentication ({@code /j_security_check}),
 * which checks the password with {@link LocalIdentityProviders.Password} and keeps the session in an
 * encrypted cookie ({@code quarkus.http.auth.session.encryption-key}); {@link LocalIdentityProviders.Session}
 * restores it on later requests.
 */
@Path("/")
public class LoginPage {
    /** quarkus.oidc.logout.path in application.properties. */
    static final String OIDC_LOGOUT_PATH = "/logout/oidc";
    /** quarkus-oidc's session cookie (split tokens add _at and _rt). */
    private static final String OIDC_SESSION_COOKIE = "q_session";
    /** The username of a failed sign-in, for the form to show again (a minute, this page only). */
    static final String TYPED_USERNAME = "gatehouse-login-username";

    @CheckedTemplate(basePath = "console")
    static class Templates {
        static native TemplateInstance login(boolean failed, boolean signedOut, boolean oidc, String notice, String username);
    }

    @ConfigProperty(name = "quarkus.http.auth.form.cookie-name", defaultValue = "quarkus-credential")
    String sessionCookie;

    @ConfigProperty(name = OidcSwitch.ENABLED, defaultValue = "false")
    boolean oidc;

    private final SecurityIdentity identity;

    public LoginPage(SecurityIdentity identity) {
        this.identity = identity;
    }

    /**
     * "Sign in with Keycloak": quarkus-oidc's authorization-code flow for this path only (the console's
     * other pages keep sending signed-out visitors to /login, where local accounts still sign in). Back
     * from the provider, with the session cookie set, it goes on to the console. The HTTP permission
     * {@code oidc-login} in application.properties makes this path need the code flow (a path permission,
     * so the challenge is the provider's redirect rather than the API's problem JSON).
     */
    @GET
    @Path("login/oidc")
    public Response oidcLogin() {
        if (!oidc || identity.isAnonymous()) {
            return Response.seeOther(URI.create("/login")).build();
        }
        return Response.seeOther(URI.create("/")).build();
    }

    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    public Response login(@RestQuery String error, @RestQuery String out, @RestCookie(LoginNotice.COOKIE) String notice,
                          @RestCookie(TYPED_USERNAME) String typed) {
        String message = LoginNotice.decode(notice);
        if (!identity.isAnonymous() && error == null && message == null) {
            return Response.seeOther(URI.create("/")).build();
        }
        // Only a failed sign-in sets it (a refusal's redirect carries no ?error=1), for a minute and this page only.
        String username = LoginNotice.decode(typed);
        Response.ResponseBuilder page = Response.ok(Templates.login(error != null && message == null, out != null, oidc,
                message, username == null ? "" : username));
        if (notice != null) {
            page.cookie(LoginNotice.cleared());
        }
        if (typed != null) {
            page.cookie(new NewCookie.Builder(TYPED_USERNAME).value("").path("/login").maxAge(0).httpOnly(true).build());
        }
        return page.build();
    }

    /** The cookie that carries a failed sign-in's username to the next sign-in page (a Vert.x cookie: set below JAX-RS). */
    static io.vertx.core.http.Cookie typedUsername(String username) {
        return LoginNotice.vertx(TYPED_USERNAME, username);
    }

    private static NewCookie expired(String name) {
        return new NewCookie.Builder(name).value("").path("/").maxAge(0).httpOnly(true).build();
    }

    /**
     * Signs out by expiring the session cookie; a POST with the CSRF token, so no page can sign you out. A
     * session from "Sign in with Keycloak" ends at the provider too (RP-initiated logout): quarkus-oidc answers
     * {@value #OIDC_LOGOUT_PATH} by clearing its cookies and sending the browser to the provider's end-session
     * endpoint, which comes back to /login?out=1. Otherwise the next "Sign in with Keycloak" would sign the
     * same person straight back in without asking.
     */
    @POST
    @Path("logout")
    public Response logout(@RestCookie(OIDC_SESSION_COOKIE) String oidcSession) {
        NewCookie formSession = expired(sessionCookie);
        if (oidc && oidcSession != null) {
            return Response.seeOther(URI.create(OIDC_LOGOUT_PATH)).cookie(formSession).build();
        }
        return Response.seeOther(URI.create("/login?out=1"))
                .cookie(formSession, expired(OIDC_SESSION_COOKIE), expired(OIDC_SESSION_COOKIE + "_at"),
                        expired(OIDC_SESSION_COOKIE + "_rt"))
                .build();
    }
}
