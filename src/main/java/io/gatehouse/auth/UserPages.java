package io.gatehouse.auth;

import io.gatehouse.auth.AccountService.AccountView;
import io.gatehouse.auth.AccountService.UserBody;
import io.gatehouse.common.ApiException;
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
import org.jboss.resteasy.reactive.RestQuery;

import java.util.List;

/**
 * Accounts in the console for platform admins: the list and a new local account, through the service behind
 * {@code POST /api/v1/users}. {@code ?username=&team=} pre-fill the form when an owner's add-member form met a
 * name with no account; after creating it the admin goes back to that team's members.
 */
@Path("/admin/users")
@Produces(MediaType.TEXT_HTML)
public class UserPages {

    /** The new-account form as typed (never the password). */
    public record UserForm(String username, String displayName, boolean platformAdmin, String team) {
    }

    @CheckedTemplate(basePath = "account")
    static class Templates {
        static native TemplateInstance users(Chrome chrome, List<AccountView> users, io.gatehouse.console.ListView paging,
                                             UserForm form, FormErrors errors);

        static native TemplateInstance user(Chrome chrome, AccountView account, FormErrors errors);
    }

    private final AccountService accounts;
    private final Console console;

    public UserPages(AccountService accounts, Console console) {
        this.accounts = accounts;
        this.console = console;
    }

    @GET
    public TemplateInstance users(@RestQuery String username, @RestQuery String team, @RestQuery String q,
                                  @RestQuery String after) {
        var page = accounts.accountsPage(q, after);
        return Templates.users(console.chrome("Users", null), page.items(),
                io.gatehouse.console.ListView.of("/admin/users", "user", q, after, page), new UserForm(username == null ? "" : username, "", false, team == null ? "" : team), FormErrors.NONE);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(MultivaluedMap<String, String> values) {
        FormInput in = new FormInput(values);
        UserForm form = new UserForm(in.raw("username"), in.raw("display_name"), in.checked("platform_admin"),
                in.raw("team"));
        FormErrors errors = FormErrors.NONE;
        if (!in.raw("password").equals(in.raw("confirm_password"))) {
            errors = errors.plus("confirm_password", "does not match the password");
        }
        try {
            if (!errors.any()) {
                var user = accounts.createUser(new UserBody(in.get("username"), in.raw("password"),
                        in.get("display_name"), form.platformAdmin()));
                String team = in.get("team");
                // Back to the members page the admin came from, where the new name can now be added.
                return team != null && team.matches("[a-z][a-z0-9-]{0,62}")
                        ? Console.redirect("/teams/" + team + "/members?username=" + user.username(),
                        "Account " + user.username() + " created. Add it to the team below.")
                        : Console.redirect("/admin/users", "Account " + user.username() + " created.");
            }
        } catch (ValidationException e) {
            errors = FormErrors.of(e.errors());
        } catch (ApiException e) {
            if (e.status() != 409) {
                throw e;
            }
            errors = FormErrors.NONE.plus("username", e.getMessage());
        }
        var page = accounts.accountsPage(null, null);
        return Response.status(422).entity(Templates.users(console.chrome("Users", null), page.items(),
                io.gatehouse.console.ListView.of("/admin/users", "user", null, null, page), form, errors)).build();
    }

    /** One account: its state, a password reset and disable / enable. */
    @GET
    @Path("{username}")
    public TemplateInstance user(String username) {
        return Templates.user(console.chrome(username + " · Users", null), account(username), FormErrors.NONE);
    }

    private AccountView account(String username) {
        return accounts.account(username);
    }

    /** A new password for the account, typed twice; every console session of the user ends. */
    @POST
    @Path("{username}/password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response resetPassword(String username, MultivaluedMap<String, String> values) {
        FormInput in = new FormInput(values);
        FormErrors errors = FormErrors.NONE;
        if (!in.raw("password").equals(in.raw("confirm_password"))) {
            errors = errors.plus("confirm_password", "does not match the new password");
        }
        try {
            if (!errors.any()) {
                accounts.resetPassword(username, in.raw("password"));
                return Console.redirect("/admin/users/" + username, "Password of " + username
                        + " reset; their console sessions have ended. Tell them the new one.");
            }
        } catch (ValidationException e) {
            errors = FormErrors.of(e.errors());
        }
        return Response.status(422).entity(Templates.user(console.chrome(username + " · Users", null), account(username),
                errors)).build();
    }

    @POST
    @Path("{username}/disable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response disable(String username) {
        try {
            accounts.setDisabled(username, true);
        } catch (ApiException e) {
            if (e.status() != 409) {
                throw e;
            }
            return Console.redirect("/admin/users/" + username, "error", e.getMessage());
        }
        return Console.redirect("/admin/users/" + username, "Account " + username
                + " disabled: it cannot sign in, its sessions have ended and its access tokens answer 401.");
    }

    @POST
    @Path("{username}/enable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response enable(String username) {
        accounts.setDisabled(username, false);
        return Console.redirect("/admin/users/" + username, "Account " + username + " enabled.");
    }
}
