package io.gatehouse.auth;

import io.gatehouse.auth.AccountService.TokenBody;
import io.gatehouse.auth.AccountService.TokenCreated;
import io.gatehouse.auth.AccountService.TokenView;
import io.gatehouse.common.ApiException;
import io.gatehouse.common.ValidationException;
import io.gatehouse.console.Chrome;
import io.gatehouse.console.Console;
import io.gatehouse.console.ConsoleErrors;
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
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/**
 * The signed-in user's personal access tokens in the console, over the admin API's service
 * ({@link AccountService}): list (never a secret), create (the secret shown once, on the answer to the
 * POST itself, so it is never stored in a cookie or a later page), revoke (POST with confirmation).
 */
@Path("/account")
@Produces(MediaType.TEXT_HTML)
public class AccountPages {
    static final String DEFAULT_DAYS = "90";

    /** The new-token form as typed. */
    public record TokenForm(String name, String expiresInDays) {
    }

    @CheckedTemplate(basePath = "account")
    static class Templates {
        static native TemplateInstance tokens(Chrome chrome, List<TokenView> tokens, TokenForm form, FormErrors errors,
                                              TokenCreated created);
    }

    private final AccountService accounts;
    private final Console console;

    public AccountPages(AccountService accounts, Console console) {
        this.accounts = accounts;
        this.console = console;
    }

    @GET
    @Path("tokens")
    public TemplateInstance tokens() {
        return page(new TokenForm("", DEFAULT_DAYS), FormErrors.NONE, null);
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
            TokenCreated created = accounts.createToken(new TokenBody(in.get("name"),
                    days == null ? null : days.matches("\\d{1,4}") ? Integer.valueOf(days) : -1));
            return Response.ok(page(new TokenForm("", DEFAULT_DAYS), FormErrors.NONE, created)).build();
        } catch (ValidationException e) {
            return Response.status(422).entity(page(form, FormErrors.of(e.errors()), null)).build();
        }
    }

    @POST
    @Path("tokens/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(long id) {
        TokenView token = accounts.revokeToken(id);
        return Console.redirect("/account/tokens", "Token " + token.name() + " (" + token.prefix() + "…) revoked.");
    }

    private TemplateInstance page(TokenForm form, FormErrors errors, TokenCreated created) {
        return Templates.tokens(console.chrome("Access tokens", null), accounts.tokens(), form, errors, created);
    }

    @ServerExceptionMapper
    Response failed(ApiException e) {
        return ConsoleErrors.page(e);
    }
}
