package io.gatehouse.tenant;

import io.gatehouse.auth.Tokens;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * API key secrets: {@code gk_} + 32 random bytes, base64url. Stored as SHA-256 (as personal access tokens,
 * see {@link Tokens}): with 256 bits of entropy a slow password hash buys nothing, and the proxy must look a
 * key up in memory in well under a microsecond or two.
 */
public final class ApiKeySecrets {
    public static final String PREFIX = "gk_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeySecrets() {
    }

    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String secret) {
        return Tokens.hash(secret);
    }

    /** What lists show, enough to tell keys apart and nowhere near enough to guess one. */
    public static String displayPrefix(String secret) {
        return secret.substring(0, 10);
    }
}
