package io.gatehouse.auth;

import io.quarkus.logging.LoggingFilter;
import org.jboss.logmanager.ExtLogRecord;

import java.util.Set;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * A refused "Sign in with Keycloak" (the identity's name belongs to an unlinked account) is the person's
 * problem, shown to them on the sign-in page and logged once at INFO by {@link OidcLoginFailures}; quarkus-oidc
 * and the HTTP authorizer would also log it at ERROR, which pages whoever is on call for nothing. Those two lines
 * are dropped; every other error of theirs passes.
 */
@LoggingFilter(name = SignInRefusalLogFilter.NAME)
public final class SignInRefusalLogFilter implements Filter {
    static final String NAME = "gatehouse-sign-in-refusals";
    private static final Set<String> LOGGERS = Set.of("io.quarkus.oidc.runtime.CodeAuthenticationMechanism",
            "io.quarkus.vertx.http.runtime.security.AbstractHttpAuthorizer");

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!LOGGERS.contains(record.getLoggerName())) {
            return true;
        }
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        if (message != null && message.contains(SignInFailures.ACCOUNT_REFUSAL)) {
            return false;
        }
        return OidcLoginFailures.refusal(record.getThrown()) == null;
    }
}
