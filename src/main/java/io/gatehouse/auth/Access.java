package io.gatehouse.auth;

import io.gatehouse.common.ApiException;
import io.gatehouse.gateway.Gateway;
import io.gatehouse.team.Membership;
import io.gatehouse.team.Role;
import io.gatehouse.team.Team;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/**
 * The one place roles are enforced. Everything a caller may not see is a 404, exactly like something
 * that does not exist, so names of other teams' gateways do not leak; what they may see but not change
 * is a 403. A platform admin acts as an owner of every team.
 */
@ApplicationScoped
public class Access {
    private final SecurityIdentity identity;

    public Access(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The console session the caller signed in with ({@link ConsoleSessions}), or null (Basic, a token, OIDC). */
    public String sessionTag() {
        return identity.isAnonymous() ? null : identity.getAttribute(LocalIdentityProviders.SESSION_TAG);
    }

    /** The signed-in user, or a 401 for anonymous callers. */
    public AppUser user() {
        if (identity.isAnonymous()) {
            throw new ApiException(401, "unauthorized", "Unauthorized",
                    "sign in with HTTP Basic or a personal access token (Authorization: Bearer ...)");
        }
        Long id = identity.getAttribute(LocalIdentityProviders.USER_ID);
        AppUser user = id == null ? AppUser.findByUsername(identity.getPrincipal().getName()).orElse(null)
                : AppUser.findById(id);
        if (user == null) {
            throw new ApiException(401, "unauthorized", "Unauthorized", "this account no longer exists");
        }
        return user;
    }

    public AppUser platformAdmin() {
        AppUser user = user();
        if (!user.platformAdmin) {
            throw ApiException.forbidden("only a platform admin may do this");
        }
        return user;
    }

    /** The caller's role in a team: null when not a member (owner for platform admins). */
    public Role roleIn(Team team, AppUser user) {
        if (user.platformAdmin) {
            return Role.OWNER;
        }
        return Membership.find(team, user).map(m -> m.role).orElse(null);
    }

    public Team team(String slug, Role min) {
        AppUser user = user();
        Team team = Team.findBySlug(slug).orElse(null);
        Role role = team == null ? null : roleIn(team, user);
        if (role == null) {
            throw ApiException.notFound("team", slug);
        }
        require(role, min, "team '" + slug + "'");
        return team;
    }

    /** A gateway the caller may read ({@link Role#VIEWER}) or change (higher roles). */
    public Gateway gateway(String name, Role min) {
        return gateway(name, min, false);
    }

    /**
     * Like {@link #gateway(String, Role)}, and locks the gateway's row for the rest of the transaction:
     * changes inside one gateway (resources and their conflicts, versions) are serialised by it.
     */
    public Gateway gatewayForUpdate(String name, Role min) {
        return gateway(name, min, true);
    }

    private Gateway gateway(String name, Role min, boolean lock) {
        AppUser user = user();
        Gateway gateway = Gateway.findByName(name).orElse(null);
        Role role = gateway == null ? null : roleIn(gateway.team, user);
        if (role == null) {
            throw ApiException.notFound("gateway", name);
        }
        require(role, min, "gateway '" + name + "'");
        if (lock) {
            Gateway.getEntityManager().lock(gateway, LockModeType.PESSIMISTIC_WRITE);
        }
        return gateway;
    }

    /** A further check inside an action the caller may already take on {@code gateway}: {@code what} needs {@code min}. */
    public void require(Gateway gateway, Role min, String what) {
        Role role = roleIn(gateway.team, user());
        if (role == null || !role.atLeast(min)) {
            throw ApiException.forbidden(what + " needs the " + min.wireName() + " role in the team of gateway '"
                    + gateway.name + "'; you are " + (role == null ? "not a member" : role.wireName()));
        }
    }

    private static void require(Role role, Role min, String what) {
        if (!role.atLeast(min)) {
            throw ApiException.forbidden("this needs the " + min.wireName() + " role in the team of " + what
                    + "; you are " + role.wireName());
        }
    }
}
