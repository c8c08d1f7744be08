package io.gatehouse.auth;

import io.gatehouse.audit.AuditLog;
import io.gatehouse.common.ApiException;
import io.gatehouse.common.Keyset;
import io.gatehouse.common.Violations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * The signed-in user's personal access tokens: create (the secret is returned once; only its hash and its first characters, the prefix, are kept),
 * list, revoke. Each user sees and revokes only their own; {@link Tokens} makes and hashes the secrets.
 */
@ApplicationScoped
public class AccessTokenService {
    public static final int MAX_TOKEN_DAYS = 366;

    public record TokenBody(String name, Integer expiresInDays) {
    }

    public record TokenCreated(String token, String name, String prefix, OffsetDateTime expiresAt) {
    }

    public record TokenView(long id, String name, String prefix, OffsetDateTime createdAt, OffsetDateTime expiresAt,
                            OffsetDateTime lastUsedAt, boolean revoked) {
        /** For the console: revoked, expired or active. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public String state() {
            return revoked ? "revoked" : expiresAt != null && !expiresAt.isAfter(OffsetDateTime.now()) ? "expired" : "active";
        }
    }

    private final Access access;
    private final AuditLog audit;

    public AccessTokenService(Access access, AuditLog audit) {
        this.access = access;
        this.audit = audit;
    }

    @Transactional
    public TokenCreated createToken(TokenBody body) {
        AppUser user = access.user();
        if (body == null) {
            throw ApiException.badRequest("a JSON body with name and expires_in_days is required");
        }
        Violations v = new Violations();
        if (body.name() == null || body.name().isBlank() || body.name().length() > 100) {
            v.add("name", "is required, at most 100 characters");
        }
        if (body.expiresInDays() != null && (body.expiresInDays() < 1 || body.expiresInDays() > MAX_TOKEN_DAYS)) {
            v.add("expires_in_days", "must be an integer from 1 to " + MAX_TOKEN_DAYS);
        }
        v.throwIfAny();
        String secret = Tokens.newSecret();
        AccessToken token = new AccessToken();
        token.user = user;
        token.name = body.name().trim();
        token.tokenHash = Tokens.hash(secret);
        token.prefix = secret.substring(0, 10);
        int days = body.expiresInDays() == null ? 90 : body.expiresInDays();
        token.expiresAt = OffsetDateTime.now().plusDays(days);
        token.persist();
        audit.record(user.username, null, null, "token.create", "user/" + user.username + "/tokens/" + token.name,
                null, Map.of("name", token.name, "prefix", token.prefix));
        return new TokenCreated(secret, token.name, token.prefix, token.expiresAt);
    }

    @Transactional
    public List<TokenView> tokens() {
        AppUser user = access.user();
        List<AccessToken> tokens = AccessToken.list("user = ?1 order by createdAt desc", user);
        return tokens.stream().map(AccessTokenService::view).toList();
    }

    /** A page of the caller's tokens, newest first, those whose name or prefix contains {@code q}. */
    @Transactional
    public Keyset.Page<TokenView> tokensPage(String q, String after) {
        AppUser user = access.user();
        Keyset.check(q, null);
        return Keyset.page(new Keyset.Query<>(AccessToken.class, "user = :user",
                        Map.of("user", user), "id", true, List.of("name", "prefix")),
                q, after, AccountService.PAGE, t -> t.id, Keyset::longKey).map(AccessTokenService::view);
    }

    private static TokenView view(AccessToken t) {
        return new TokenView(t.id, t.name, t.prefix, t.createdAt, t.expiresAt, t.lastUsedAt, t.revokedAt != null);
    }

    /** Revokes one of the caller's own tokens (another user's id is a 404, like a missing one). */
    @Transactional
    public TokenView revokeToken(long id) {
        AppUser user = access.user();
        AccessToken token = AccessToken.<AccessToken>find("id = ?1 and user = ?2", id, user).firstResultOptional()
                .orElseThrow(() -> ApiException.notFound("token", String.valueOf(id)));
        if (token.revokedAt == null) {
            token.revokedAt = OffsetDateTime.now();
            audit.record(user.username, null, null, "token.revoke", "user/" + user.username + "/tokens/" + token.name,
                    null, null);
        }
        return view(token);
    }
}
