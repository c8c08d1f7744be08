package io.gatehouse.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * A personal access token ({@code ghp_...}). Its own request type, not Quarkus's
 * TokenAuthenticationRequest, so it never reaches the OIDC identity provider and OIDC tokens never reach
 * the token table.
 */
public class PersonalAccessTokenRequest extends BaseAuthenticationRequest {
    private final String token;

    public PersonalAccessTokenRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
