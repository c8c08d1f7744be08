package io.gatehouse.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * The admin API's credentials: {@code Authorization: Basic} for local accounts and
 * {@code Authorization: Bearer} for personal access tokens ({@code ghp_...}). When OIDC is on, any other
 * bearer token is left to quarkus-oidc (a JWT from the identity provider; see OidcAccounts). No header means anonymous; the API then
 * answers 401 itself (see Access) so the body is problem JSON.
 */
@ApplicationScoped
public class ApiAuthMechanism implements HttpAuthenticationMechanism {
    static final String CHALLENGE = "Basic realm=\"Gatehouse\", Bearer realm=\"Gatehouse\"";
    /** Before quarkus-oidc's mechanism (default priority + 1) and form login (default priority). */
    static final int PRIORITY = DEFAULT_PRIORITY + 100;

    private final boolean oidcEnabled;

    public ApiAuthMechanism(@ConfigProperty(name = OidcSwitch.ENABLED, defaultValue = "false") boolean oidcEnabled) {
        this.oidcEnabled = oidcEnabled;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager providers) {
        String header = context.request().getHeader("Authorization");
        if (header == null || header.isBlank()) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        AuthenticationRequest request;
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Uni.createFrom().failure(new AuthenticationFailedException("malformed Basic credentials"));
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return Uni.createFrom().failure(new AuthenticationFailedException("malformed Basic credentials"));
            }
            request = new UsernamePasswordAuthenticationRequest(decoded.substring(0, colon),
                    new PasswordCredential(decoded.substring(colon + 1).toCharArray()));
            // The password provider reads the client's address from it (LoginThrottle), as for form login.
            HttpSecurityUtils.setRoutingContextAttribute(request, context);
        } else if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = header.substring(7).trim();
            if (oidcEnabled && !token.startsWith(Tokens.PREFIX)) {
                // Not a personal access token: quarkus-oidc's mechanism (tried after this one) verifies it.
                return Uni.createFrom().optional(java.util.Optional.empty());
            }
            request = new PersonalAccessTokenRequest(token);
        } else {
            return Uni.createFrom().failure(new AuthenticationFailedException("unsupported authorization scheme"));
        }
        return providers.authenticate(request);
    }

    /**
     * Challenges only for the admin API. Console requests (and the form login's own failures) get no
     * challenge from here, so Quarkus falls through to the form mechanism, which redirects to the login
     * or error page instead of asking a browser for Basic credentials.
     */
    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        if (!context.normalizedPath().startsWith("/api/")) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", CHALLENGE));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(UsernamePasswordAuthenticationRequest.class, PersonalAccessTokenRequest.class);
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }
}
