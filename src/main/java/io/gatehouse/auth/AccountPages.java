package io.gatehouse.auth;

import io.gatehouse.auth.AccessTokenService.TokenBody;
import io.gatehouse.auth.AccessTokenService.TokenCreated;
import io.gatehouse.auth.AccessTokenService.TokenView;
import io.gatehouse.common.ValidationException;
import io.gatehouse.console.Chrome;
import io.gatehouse.console.Console;
import io.gatehouse.console.FormErrors;
import io.gatehouse.console.FormInput;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * The signed-in user's personal access tokens in the console, over the admin API's service
 * ({@link AccessTokenService}): list (never a secret), create (post-redirect-get: the secret rides to the next
 * page in a one-time cookie limited to this page, shown once and cleared, so a reload neither repeats the
 * POST nor shows the secret again), revoke (POST with confirmation); and their password
 * ({@link AccountService#changePassword}).
 */
@Path("/account")
@Produces(MediaType.TEXT_HTML)
public class AccountPages {
    static final String DEFAULT_DAYS = "90";
    static final String NEW_TOKEN_COOKIE = "gatehouse-new-token";
    static final String TOKENS = "/account/tokens";

    /** The new-token form as typed. */
    public record TokenForm(String name, String expiresInDays) {
    }

    @CheckedTemplate(basePath = "account")
    static class Templates {
        static native TemplateInstance tokens(Chrome chrome, List<TokenView> tokens, io.gatehouse.console.ListView paging,
                                              TokenForm form, FormErrors errors, TokenCreated created);

        static native TemplateInstance password(Chrome chrome, FormErrors errors);
    }

    private final AccountService accounts;
    private final AccessTokenService tokens;
    private final Console console;

    public AccountPages(AccountService accounts, AccessTokenService tokens, Console console) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.console = console;
    }

    @GET
    @Path("tokens")
    public TemplateInstance tokens(@org.jboss.resteasy.reactive.RestQuery String q,
                                   @org.jboss.resteasy.reactive.RestQuery String after) {
        return page(q, after, new TokenForm("", DEFAULT_DAYS), FormErrors.NONE,
                created(console.takeOnce(NEW_TOKEN_COOKIE, TOKENS)));
    }

    /** The one-time cookie's "secret|prefix|expiresAt|name" back to what was created (null when absent or bad). */
    private static TokenCreated created(String once) {
        if (once == null) {
            return null;
        }
        String[] parts = once.split("\\|", 4);
        try {
            return parts.length < 4 ? null : new TokenCreated(parts[0], parts[3], parts[1],
                    java.time.OffsetDateTime.parse(parts[2]));
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    @POST
    @Path("tokens")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(MultivaluedMap<String, String> values) {
        FormInput in = new FormInput(values);
        TokenForm form = new TokenForm(in.raw("name"), in.raw("expires_in_days"));
        String days = in.get("expires_in_days");
        try {
            // Blank takes the service's default; anything but a small whole number is out of range (-1), so the
            // service's own rule names the field.
            TokenCreated created = tokens.createToken(new TokenBody(in.get("name"),
                    days == null ? null : days.matches("\\d{1,4}") ? Integer.valueOf(days) : -1));
            Response redirect = Console.redirect(TOKENS, "Token " + created.name() + " created.");
            return Response.fromResponse(redirect).cookie(Console.once(NEW_TOKEN_COOKIE, TOKENS,
                    created.token() + "|" + created.prefix() + "|" + created.expiresAt() + "|" + created.name())).build();
        } catch (ValidationException e) {
            return Response.status(422).entity(page(null, null, form, FormErrors.of(e.errors()), null)).build();
        }
    }

    @GET
    @Path("password")
    public TemplateInstance password() {
        return Templates.password(console.chrome("Password", null), FormErrors.NONE);
    }

    /** The caller's own password; errors name the field, and no typed password is ever sent back. */
    @POST
    @Path("password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changePassword(MultivaluedMap<String, String> values) {
        FormInput in = new FormInput(values);
        String next = in.raw("new_password");
        FormErrors errors = FormErrors.NONE;
        if (!next.equals(in.raw("confirm_password"))) {
            errors = errors.plus("confirm_password", "does not match the new password");
        }
        try {
            if (!errors.any()) {
                accounts.changePassword(new AccountService.PasswordBody(in.raw("current_password"), next));
                return Console.redirect("/account/password", "Password changed. Use the new one from your next sign-in.");
            }
        } catch (ValidationException e) {
            errors = FormErrors.of(e.errors());
        }
        return Response.status(422).entity(Templates.password(console.chrome("Password", null), errors)).build();
    }

    @POST
    @Path("tokens/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(long id) {
        TokenView token = tokens.revokeToken(id);
        return Console.redirect("/account/tokens", "Token " + token.name() + " (" + token.prefix() + "…) revoked.");
    }

    private TemplateInstance page(String q, String after, TokenForm form, FormErrors errors, TokenCreated created) {
        var page = tokens.tokensPage(q, after);
        return Templates.tokens(console.chrome("Access tokens", null), page.items(),
                io.gatehouse.console.ListView.of(TOKENS, "token", q, after, page), form, errors, created);
    }
}
