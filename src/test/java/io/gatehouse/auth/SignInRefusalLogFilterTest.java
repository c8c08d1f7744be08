package io.gatehouse.auth;

import io.quarkus.security.AuthenticationCompletionException;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignInRefusalLogFilterTest {
    private static final String OIDC = "io.quarkus.oidc.runtime.CodeAuthenticationMechanism";
    private static final String AUTHORIZER = "io.quarkus.vertx.http.runtime.security.AbstractHttpAuthorizer";
    private final SignInRefusalLogFilter filter = new SignInRefusalLogFilter();

    private static ExtLogRecord record(String logger, String format, Object param, Throwable thrown) {
        ExtLogRecord r = new ExtLogRecord(Level.SEVERE, format, ExtLogRecord.FormatStyle.PRINTF, logger);
        r.setLoggerName(logger);
        r.setParameters(new Object[]{param});
        r.setThrown(thrown);
        return r;
    }

    @Test
    void quarkusCopiesOfARefusalAreDropped() {
        String refusal = "A Gatehouse account named 'lena' already exists and is not linked to this identity";
        assertFalse(filter.isLoggable(record(OIDC, "ID token verification has failed: %s", refusal, null)));
        AuthenticationCompletionException wrapped = new AuthenticationCompletionException(
                SignInFailures.refused("linked elsewhere"));
        assertFalse(filter.isLoggable(record(AUTHORIZER, "Exception occurred during authorization: %s", "x", wrapped)));
    }

    @Test
    void everythingElsePasses() {
        assertTrue(filter.isLoggable(record(OIDC, "ID token verification has failed: %s", "Invalid signature", null)));
        assertTrue(filter.isLoggable(record(AUTHORIZER, "Exception occurred during authorization: %s", "x",
                new AuthenticationCompletionException(new IllegalStateException("boom")))));
        assertTrue(filter.isLoggable(record("io.gatehouse.auth.OidcLoginFailures", "OIDC sign-in refused: %s",
                "A Gatehouse account named 'lena' already exists", null)));
    }
}
