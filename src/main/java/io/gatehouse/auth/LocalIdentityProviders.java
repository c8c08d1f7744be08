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
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;

/**
 * Turns Basic credentials, personal access tokens and console sessions into identities; all look up the
 * database, off the event loop.
 */
public final class LocalIdentityProviders {
    static final String USER_ID = "gatehouse.user-id";

    private LocalIdentityProviders() {
    }

    static SecurityIdentity identity(AppUser user) {
        QuarkusSecurityIdentity.Builder b = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(user.username))
                .addAttribute(USER_ID, user.id);
        if (user.platformAdmin) {
            b.addRole("platform-admin");
        }
        return b.build();
    }

    @ApplicationScoped
    public static class Password implements IdentityProvider<UsernamePasswordAuthenticationRequest> {
        @Override
        public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
            return UsernamePasswordAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
                                                  AuthenticationRequestContext context) {
            return context.runBlocking(() -> {
                AppUser user = QuarkusTransaction.requiringNew()
                        .call(() -> AppUser.findByUsername(request.getUsername()).orElse(null));
                String password = new String(request.getPassword().getPassword());
                if (!Passwords.matches(password, user == null ? null : user.passwordHash)) {
                    throw new AuthenticationFailedException("wrong username or password");
                }
                return identity(user);
            });
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
                token.lastUsedAt = now;
                return identity(token.user);
            }));
        }
    }

    /**
     * The console's session: Quarkus form authentication keeps only the username in its encrypted cookie
     * and restores it as a trusted request; the account is loaded again so a deleted user is signed out
     * and {@link Access#user()} finds the id it expects.
     */
    @ApplicationScoped
    public static class Session implements IdentityProvider<TrustedAuthenticationRequest> {
        @Override
        public Class<TrustedAuthenticationRequest> getRequestType() {
            return TrustedAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(TrustedAuthenticationRequest request,
                                                  AuthenticationRequestContext context) {
            return context.runBlocking(() -> {
                AppUser user = QuarkusTransaction.requiringNew()
                        .call(() -> AppUser.findByUsername(request.getPrincipal()).orElse(null));
                if (user == null) {
                    throw new AuthenticationFailedException("this account no longer exists");
                }
                return identity(user);
            });
        }
    }
}
