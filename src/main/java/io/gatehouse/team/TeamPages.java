package io.gatehouse.team;

import io.gatehouse.auth.AccountService;
import io.gatehouse.common.ApiException;
import io.gatehouse.common.ValidationException;
import io.gatehouse.console.Chrome;
import io.gatehouse.console.Console;
import io.gatehouse.console.FormErrors;
import io.gatehouse.console.FormInput;
import io.gatehouse.console.ListView;
import io.gatehouse.team.TeamService.MemberBody;
import io.gatehouse.team.TeamService.MemberView;
import io.gatehouse.team.TeamService.TeamBody;
import io.gatehouse.team.TeamService.TeamView;
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

/** Console pages for teams: the list (platform admins create teams) and members with roles. */
@Path("/teams")
@Produces(MediaType.TEXT_HTML)
public class TeamPages {

    /** The new-team form as typed. */
    public record TeamForm(String slug, String name) {
    }

    /** The add-member form as typed. */
    public record MemberForm(String username, String role) {
    }

    @CheckedTemplate(basePath = "teams")
    static class Templates {
        static native TemplateInstance list(Chrome chrome, List<TeamView> teams, ListView paging, TeamForm form,
                                            FormErrors errors);

        static native TemplateInstance members(Chrome chrome, List<MemberView> members, io.gatehouse.console.ListView paging,
                                               MemberForm form,
                                               FormErrors errors, List<String> roles, List<String> usernames,
                                               String noAccount, List<String> admins);

        /** The add-member field's suggestions alone, for the field's htmx request as the owner types. */
        static native TemplateInstance members$suggestions(List<String> usernames);
    }

    private static final List<String> ROLES = List.of("viewer", "maintainer", "owner");

    private final TeamService teams;
    private final Console console;
    private final AccountService accounts;

    public TeamPages(TeamService teams, Console console, AccountService accounts) {
        this.teams = teams;
        this.console = console;
        this.accounts = accounts;
    }

    @GET
    public TemplateInstance list(@RestQuery String q, @RestQuery String after) {
        return list(q, after, new TeamForm("", ""), FormErrors.NONE);
    }

    private TemplateInstance list(String q, String after, TeamForm form, FormErrors errors) {
        var page = teams.page(q, after);
        return Templates.list(console.chrome("Teams", null), page.items(), ListView.of("/teams", "team", q, after, page),
                form, errors);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(MultivaluedMap<String, String> values) {
        FormInput in = new FormInput(values);
        TeamForm form = new TeamForm(in.raw("slug"), in.raw("name"));
        try {
            var team = teams.create(new TeamBody(in.get("slug"), in.get("name")));
            return Console.redirect("/teams/" + team.slug() + "/gateways", "Team " + team.name() + " created.");
        } catch (ValidationException e) {
            return rerenderList(form, FormErrors.of(e.errors()));
        } catch (ApiException e) {
            if (e.status() != 409) {
                throw e;
            }
            return rerenderList(form, FormErrors.NONE.plus("slug", e.getMessage()));
        }
    }

    /** A team's home is its gateways; non-members get the 404 of a team that does not exist. */
    @GET
    @Path("{team}")
    public Response team(String team) {
        teams.members(team);
        return Response.seeOther(java.net.URI.create("/teams/" + team + "/gateways")).build();
    }

    @GET
    @Path("{team}/members")
    public TemplateInstance members(String team, @RestQuery String username, @RestQuery String q, @RestQuery String after) {
        var page = teams.membersPage(team, q, after);
        Chrome chrome = console.chrome("Members", team);
        return Templates.members(chrome, page.items(), io.gatehouse.console.ListView.of("/teams/" + team + "/members",
                        "member", q, after, page), new MemberForm(username == null ? "" : username, "viewer"),
                FormErrors.NONE, ROLES, suggestions(chrome, username), null, List.of());
    }

    /**
     * Existing accounts for the add-member field, for those who may add members: the first few that match what is
     * typed (the members page fills them for its {@code username}, the field asks again as the owner types).
     */
    private List<String> suggestions(Chrome chrome, String typed) {
        return chrome.isOwner() || chrome.user().platformAdmin() ? accounts.usernames(typed) : List.of();
    }

    /** The suggestions for what is typed in the add-member field ({@code username}): owners and platform admins. */
    @GET
    @Path("{team}/members/suggestions")
    public TemplateInstance suggestions(String team, @RestQuery String username) {
        teams.requireOwner(team);
        return Templates.members$suggestions(accounts.usernames(username));
    }

    /** Adds a member or changes a member's role (owners only, checked by the service). */
    @POST
    @Path("{team}/members")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response putMember(String team, MultivaluedMap<String, String> values) {
        FormInput in = new FormInput(values);
        MemberForm form = new MemberForm(in.raw("username"), in.raw("role"));
        List<MemberView> before = List.of();
        String username = in.get("username");
        if (username == null) {
            return rerenderMembers(team, before, form, FormErrors.NONE.plus("username", "is required"), null);
        }
        try {
            var change = teams.putMember(team, username, new MemberBody(in.get("role")));
            return Console.redirect("/teams/" + team + "/members", change.created()
                    ? username + " joined as " + change.member().role() + "."
                    : username + " is now " + change.member().role() + ".");
        } catch (ValidationException e) {
            return rerenderMembers(team, before, form, FormErrors.of(e.errors()), null);
        } catch (ApiException e) {
            return switch (e.status()) {
                // The team was visible a moment ago (members() above), so a 404 here names the user.
                case 404 -> rerenderMembers(team, before, form, FormErrors.NONE.plus("username",
                        "no account has this name"),
                        // Offer to create only a name an account could have (it also goes into a link).
                        AccountService.USERNAME.matcher(username).matches() ? username : null);
                case 409 -> Console.redirect("/teams/" + team + "/members", "error", e.getMessage());
                default -> throw e;
            };
        }
    }

    @POST
    @Path("{team}/members/{username}/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response removeMember(String team, String username) {
        try {
            teams.removeMember(team, username);
            return Console.redirect("/teams/" + team + "/members", username + " was removed from the team.");
        } catch (ApiException e) {
            if (e.status() != 409) {
                throw e;
            }
            return Console.redirect("/teams/" + team + "/members", "error", e.getMessage());
        }
    }

    private Response rerenderList(TeamForm form, FormErrors errors) {
        return Response.status(422).entity(list(null, null, form, errors)).build();
    }

    /** {@code noAccount}: a name with no account, for which the page offers creation (platform admins) or says who can. */
    private Response rerenderMembers(String team, List<MemberView> members, MemberForm form, FormErrors errors,
                                     String noAccount) {
        Chrome chrome = console.chrome("Members", team);
        var page = teams.membersPage(team, null, null);
        return Response.status(422).entity(Templates.members(chrome, page.items(), io.gatehouse.console.ListView.of(
                "/teams/" + team + "/members", "member", null, null, page), form, errors, ROLES, suggestions(chrome, form.username()),
                noAccount, noAccount == null ? List.of() : accounts.platformAdmins())).build();
    }
}
