package io.gatehouse.auth;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TrustedAuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;

/**
 * Turns Basic credentials, personal access tokens and console sessions into identities; all look up the
 * database, off the event loop.
 */
public final class LocalIdentityProviders {
    static final String USER_ID = "gatehouse.user-id";
    /** The console session's tag (ConsoleSessions), on identities restored from the session cookie. */
    static final String SESSION_TAG = "gatehouse.session-tag";
    /** Quarkus form authentication's post location (quarkus.http.auth.form.post-location, default). */
    static final String FORM_POST = "/j_security_check";
    static final String DISABLED = "This account is disabled. A platform admin can enable it again.";

    private LocalIdentityProviders() {
    }

    static SecurityIdentity identity(AppUser user) {
        return identity(user, null);
    }

    /** With a console session, the principal's name is the session's ({@link ConsoleSessions}): what the cookie keeps. */
    static SecurityIdentity identity(AppUser user, ConsoleSessions.Session session) {
        QuarkusSecurityIdentity.Builder b = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(session == null ? user.username : session.principal()))
                .addAttribute(USER_ID, user.id);
        if (session != null && session.tag() != null) {
            b.addAttribute(SESSION_TAG, session.tag());
        }
        if (user.platformAdmin) {
            b.addRole("platform-admin");
        }
        return b.build();
    }

    /**
     * Passwords, from the console's form login and HTTP Basic on the API alike, limited by {@link LoginThrottle}:
     * a locked username+address is refused before the password is checked.
     */
    @ApplicationScoped
    public static class Password implements IdentityProvider<UsernamePasswordAuthenticationRequest> {
        private final LoginThrottle throttle;
        private final Passwords passwords;

        public Password(LoginThrottle throttle, Passwords passwords) {
            this.throttle = throttle;
            this.passwords = passwords;
        }

        @Override
        public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
            return UsernamePasswordAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
                                                  AuthenticationRequestContext context) {
            String username = request.getUsername();
            String ip = clientAddress(request);
            RoutingContext rc = HttpSecurityUtils.getRoutingContextAttribute(request);
            boolean consoleForm = rc != null && FORM_POST.equals(rc.normalizedPath());
            long wait = throttle.retryAfterSeconds(username, ip);
            if (wait > 0) {
                keepUsername(rc, consoleForm, username);
                return Uni.createFrom().failure(SignInFailures.throttled(wait));
            }
            return context.runBlocking(() -> {
                AppUser user = QuarkusTransaction.requiringNew()
                        .call(() -> AppUser.findByUsername(username).orElse(null));
                String password = new String(request.getPassword().getPassword());
                if (!passwords.matches(password, user == null ? null : user.passwordHash)) {
                    throttle.failed(username, ip);
                    keepUsername(rc, consoleForm, username);
                    throw new AuthenticationFailedException("wrong username or password");
                }
                throttle.succeeded(username, ip);
                if (user.disabled()) {
                    // Said only to someone who knows the password: it reveals nothing to a guesser.
                    keepUsername(rc, consoleForm, username);
                    if (consoleForm) {
                        rc.response().addCookie(LoginNotice.vertx(DISABLED));
                    }
                    throw SignInFailures.refused(DISABLED);
                }
                return consoleForm ? identity(user, ConsoleSessions.begin(user.username)) : identity(user);
            });
        }

        /** After a failed console sign-in the form shows the username again (LoginPage reads it once). */
        private static void keepUsername(RoutingContext rc, boolean consoleForm, String username) {
            if (consoleForm && username != null && username.length() <= 64) {
                rc.response().addCookie(LoginPage.typedUsername(username));
            }
        }

        /**
         * The client's address as Vert.x sees it: the peer, or the X-Forwarded-For / Forwarded client when
         * {@code quarkus.http.proxy.proxy-address-forwarding} is on (set it behind a load balancer, or every
         * client counts as the balancer's address).
         */
        private static String clientAddress(UsernamePasswordAuthenticationRequest request) {
            RoutingContext rc = HttpSecurityUtils.getRoutingContextAttribute(request);
            if (rc == null || rc.request().remoteAddress() == null) {
                return "unknown";
            }
            String host = rc.request().remoteAddress().hostAddress();
            return host == null ? rc.request().remoteAddress().host() : host;
        }
    }

    @ApplicationScoped
    public static class Token implements IdentityProvider<PersonalAccessTokenRequest> {
        @Override
        public Class<PersonalAccessTokenRequest> getRequestType() {
            return PersonalAccessTokenRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(PersonalAccessTokenRequest request,
                                                  AuthenticationRequestContext context) {
            String secret = request.token();
            return context.runBlocking(() -> QuarkusTransaction.requiringNew().call(() -> {
                AccessToken token = AccessToken.<AccessToken>find("tokenHash", Tokens.hash(secret))
                        .firstResultOptional().orElse(null);
                OffsetDateTime now = OffsetDateTime.now();
                if (token == null || !token.usableAt(now)) {
                    throw new AuthenticationFailedException("unknown, expired or revoked token");
                }
                if (token.user.disabled()) {
                    throw SignInFailures.refused(DISABLED);
                }
                token.lastUsedAt = now;
                return identity(token.user);
            }));
        }
    }

    /**
     * The console's session: Quarkus form authentication keeps only the principal's name in its encrypted
     * cookie (the username and the session's tag, {@link ConsoleSessions}) and restores it as a trusted request;
     * the account is loaded again so a deleted or disabled user is signed out, as is a session that a password
     * change or reset ended, and {@link Access#user()} finds the id it expects.
     */
    @ApplicationScoped
    public static class Session implements IdentityProvider<TrustedAuthenticationRequest> {
        @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.http.auth.form.cookie-name",
                defaultValue = "quarkus-credential")
        String cookieName;

        @Override
        public Class<TrustedAuthenticationRequest> getRequestType() {
            return TrustedAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request,
                                                  AuthenticationRequestContext context) {
            return context.runBlocking(() -> {
                ConsoleSessions.Session session = ConsoleSessions.parse(request.getPrincipal());
                AppUser user = QuarkusTransaction.requiringNew()
                        .call(() -> AppUser.findByUsername(session.username()).orElse(null));
                if (user == null || !ConsoleSessions.valid(user, session)) {
                    // The cookie goes with the redirect to the sign-in page: kept, it would be refused there too,
                    // and the sign-in page would send the browser to itself until it gave up.
                    RoutingContext rc = HttpSecurityUtils.getRoutingContextAttribute(request);
                    if (rc != null) {
                        rc.response().addCookie(io.vertx.core.http.Cookie.cookie(cookieName, "").setPath("/")
                                .setMaxAge(0));
                    }
                    throw new AuthenticationFailedException(user == null ? "this account no longer exists"
                            : "this session has ended");
                }
                return identity(user, session);
            });
        }
    }
}
