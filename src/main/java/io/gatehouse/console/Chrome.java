package io.gatehouse.console;

import io.gatehouse.auth.AccountService.UserView;
import io.gatehouse.team.Role;
import io.gatehouse.team.TeamService.TeamView;

import java.util.List;

/**
 * What the layout shows around every page: the signed-in user, their first teams for the switcher, the team
 * the page belongs to (null on pages of no team) and the flash message of the previous redirect.
 */
public record Chrome(String title, UserView user, List<TeamView> teams, TeamView team, Flash flash) {

    /** A one-off message carried across a redirect (post-redirect-get). */
    public record Flash(String kind, String message) {
    }

    public Role role() {
        return team == null ? null : Role.fromWireName(team.role());
    }

    /** Maintainers and owners change gateways, stages and resources; viewers only look. */
    public boolean canEdit() {
        return role() != null && role().atLeast(Role.MAINTAINER);
    }

    public boolean isOwner() {
        return role() == Role.OWNER;
    }

    public Chrome withTitle(String newTitle) {
        return new Chrome(newTitle, user, teams, team, flash);
    }
}
