package io.gatehouse.tryit;

import io.gatehouse.common.FieldError;
import io.gatehouse.common.ValidationException;
import io.gatehouse.proxy.TenantPolicy;
import io.gatehouse.common.TenantSource;
import io.gatehouse.tryit.TryIt.TryRequest;
import io.vertx.core.MultiMap;

import java.util.ArrayList;
import java.util.List;

/**
 * The headers "Try it" sends to say who the requests are, as the stage's {@code tenant_from} wants: the tenant
 * header (a name), the API key header (a key) or {@code Authorization: Bearer} (a token). Giving what the stage
 * does not read is refused naming the field, so nobody believes a tenant name was tried as an identity.
 */
final class TryCredentials {
    private TryCredentials() {
    }

    static MultiMap of(TryRequest in, TenantPolicy policy, String tenantHeader) {
        String tenant = blankToNull(in.tenant());
        String apiKey = blankToNull(in.apiKey());
        String token = blankToNull(in.token());
        List<FieldError> bad = new ArrayList<>();
        String stageSays = "the stage takes the tenant from " + switch (policy.source()) {
            case HEADER -> "the " + tenantHeader + " header (tenant_from: header): give tenant";
            case API_KEY -> "an API key in " + policy.apiKeyHeader() + " (tenant_from: api_key): give api_key";
            case JWT -> "a bearer JWT (tenant_from: jwt): give token";
        };
        if (tenant != null && policy.source() != TenantSource.HEADER) {
            bad.add(new FieldError("tenant", stageSays));
        }
        if (apiKey != null && policy.source() != TenantSource.API_KEY) {
            bad.add(new FieldError("api_key", stageSays));
        }
        if (token != null && policy.source() != TenantSource.JWT) {
            bad.add(new FieldError("token", stageSays));
        }
        if (apiKey != null && (apiKey.length() > 200 || !apiKey.matches("[\\x21-\\x7e]+"))) {
            bad.add(new FieldError("api_key", "must be at most 200 printable characters without spaces"));
        }
        if (token != null && (token.length() > 16_384 || !token.matches("[A-Za-z0-9._~+/=-]+"))) {
            bad.add(new FieldError("token", "must be a JWT (base64url parts separated by dots), without the word Bearer"));
        }
        if (!bad.isEmpty()) {
            throw ValidationException.badRequest(bad);
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (tenant != null) {
            headers.add(tenantHeader, tenant);
        }
        if (apiKey != null) {
            headers.add(policy.apiKeyHeader(), apiKey);
        }
        if (token != null) {
            headers.add("Authorization", "Bearer " + token);
        }
        return headers;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
