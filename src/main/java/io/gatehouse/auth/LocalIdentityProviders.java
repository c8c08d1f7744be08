package io.gatehouse.auth;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;

/** Turns Basic credentials and personal access tokens into identities; both look up the database, off the event loop. */
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
    public static class Token implements IdentityProvider<TokenAuthenticationRequest> {
        @Override
        public Class<TokenAuthenticationRequest> getRequestType() {
            return TokenAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request,
                                                  AuthenticationRequestContext context) {
            String secret = request.getToken().getToken();
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
}
