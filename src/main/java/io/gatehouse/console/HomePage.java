package io.gatehouse.console;

import io.gatehouse.team.TeamService;
import io.gatehouse.team.TeamService.TeamView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.List;

/** The console's front door: a signed-in user lands on their first team's gateways. */
@Path("/")
public class HomePage {
    private final TeamService teams;

    public HomePage(TeamService teams) {
        this.teams = teams;
    }

    @GET
    public Response home() {
        List<TeamView> mine = teams.list();
        return Response.seeOther(URI.create(mine.isEmpty() ? "/teams" : "/teams/" + mine.get(0).slug() + "/gateways")).build();
    }
}
