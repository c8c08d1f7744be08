package io.gatehouse.common;

/**
 * How a bearer JWT is verified under {@code tenant_from: jwt}: signed by a key of {@code issuer}'s JWKS
 * (found through its {@code /.well-known/openid-configuration}), {@code iss} equal to {@code issuer},
 * {@code aud} containing {@code audience}, and the tenant in claim {@code tenant_claim}.
 */
public record JwtSpec(String issuer, String audience, String tenantClaim) {
    public static final String DEFAULT_TENANT_CLAIM = "tenant";

    public JwtSpec withDefaults() {
        return new JwtSpec(issuer, audience, tenantClaim == null ? DEFAULT_TENANT_CLAIM : tenantClaim);
    }

    public void validate(String field, Violations v) {
        String issuerProblem = issuerProblem(issuer);
        if (issuerProblem != null) {
            v.add(field + ".issuer", issuerProblem);
        }
        if (audience == null || audience.isBlank() || audience.length() > 256) {
            v.add(field + ".audience", "is required (the aud a token must carry), at most 256 characters");
        }
        if (tenantClaim != null && !tenantClaim.matches("[A-Za-z0-9_.:-]{1,128}")) {
            v.add(field + ".tenant_claim", "must be a claim name: 1 to 128 letters, digits and . _ : -");
        }
    }

    /** An OpenID issuer: an absolute http(s) URL without query, fragment or user info (OpenID Discovery §3). */
    private static String issuerProblem(String issuer) {
        if (issuer == null || issuer.isBlank()) {
            return "is required (the iss of the tokens, e.g. https://login.example.com/realms/acme)";
        }
        try {
            java.net.URI uri = new java.net.URI(issuer);
            boolean http = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
            if (!http || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
                    || uri.getRawUserInfo() != null || issuer.length() > 1024) {
                return "must be an http(s) URL without query, fragment or user info";
            }
            return null;
        } catch (java.net.URISyntaxException e) {
            return "must be an http(s) URL without query, fragment or user info";
        }
    }
}
