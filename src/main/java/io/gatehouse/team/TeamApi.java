package io.gatehouse.team;

import io.gatehouse.team.TeamService.MemberBody;
import io.gatehouse.team.TeamService.MemberChange;
import io.gatehouse.team.TeamService.MemberView;
import io.gatehouse.team.TeamService.TeamBody;
import io.gatehouse.team.TeamService.TeamView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

@Path("/api/v1/teams")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TeamApi {
    private final TeamService teams;

    public TeamApi(TeamService teams) {
        this.teams = teams;
    }

    @GET
    public List<TeamView> list() {
        return teams.list();
    }

    @POST
    public Response create(TeamBody body) {
        return Response.status(201).entity(teams.create(body)).build();
    }

    @GET
    @Path("/{team}/members")
    public List<MemberView> members(String team) {
        return teams.members(team);
    }

    @PUT
    @Path("/{team}/members/{username}")
    public Response putMember(String team, String username, MemberBody body) {
        MemberChange change = teams.putMember(team, username, body);
        return Response.status(change.created() ? 201 : 200).entity(change.member()).build();
    }

    @DELETE
    @Path("/{team}/members/{username}")
    public Response removeMember(String team, String username) {
        teams.removeMember(team, username);
        return Response.noContent().build();
    }
}
