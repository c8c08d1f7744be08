package io.gatehouse.auth;

import io.gatehouse.audit.AuditLog;
import io.gatehouse.team.Membership;
import io.gatehouse.team.Role;
import io.gatehouse.team.Team;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps an OIDC identity (a Keycloak access token on the API, the ID token of a console session) onto a
 * Gatehouse account, on every request that carries one:
 * <ul>
 * <li>the account is the {@code app_user} whose pinned subject is the token's {@code sub}; an identity
 * without one gets a new account named by {@code preferred_username} (lower-cased), without a password,
 * pinned to its subject. An existing account is never taken over by name: when the name is taken by an
 * account not pinned to this subject (a local account, the bootstrap admin, or another identity's), the
 * sign-in is refused ({@link SignInFailures#refused}) until a platform admin links the two
 * ({@code PUT /api/v1/users/{username}/oidc-link});</li>
 * <li>groups {@code /teams/{team}/{role}} become memberships marked {@code oidc}: added, changed and
 * removed to match the token; memberships set in Gatehouse ({@code local}) are never touched, and win over
 * a group for the same team; groups of teams that do not exist are ignored;</li>
 * <li>group {@code /platform-admins} makes the account a platform admin (and taking it away revokes only
 * a grant that came from the group).</li>
 * </ul>
 * Roles are then checked by {@link Access} from these rows, like for local accounts.
 */
@ApplicationScoped
public class OidcAccounts implements SecurityIdentityAugmentor {
    static final String PLATFORM_ADMINS = "/platform-admins";
    private static final Pattern TEAM_GROUP = Pattern.compile("^/teams/([a-z][a-z0-9-]{1,62})/(owner|maintainer|viewer)$");
    /** The length of {@code app_user.oidc_subject}; OIDC Core 1.0 section 2 allows at most 255 ASCII characters. */
    static final int MAX_SUBJECT = 255;

    private final AuditLog audit;

    public OidcAccounts(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        return context.runBlocking(() -> {
            AppUser user;
            try {
                user = QuarkusTransaction.requiringNew().call(() -> sync(jwt));
            } catch (PersistenceException e) {
                // Two first requests of one new user at once: the other one created the account.
                user = QuarkusTransaction.requiringNew().call(() -> sync(jwt));
            }
            QuarkusSecurityIdentity.Builder b = QuarkusSecurityIdentity.builder(identity)
                    .addAttribute(LocalIdentityProviders.USER_ID, user.id);
            if (user.platformAdmin) {
                b.addRole("platform-admin");
            }
            return b.build();
        });
    }

    AppUser sync(JsonWebToken jwt) {
        String subject = jwt.getSubject();
        if (subject == null || subject.isBlank() || subject.length() > MAX_SUBJECT) {
            throw SignInFailures.refused("The identity provider's token has no usable subject (sub)");
        }
        AppUser user = AppUser.findByOidcSubject(subject).orElse(null);
        if (user == null) {
            String username = username(jwt);
            AppUser named = AppUser.findByUsername(username).orElse(null);
            if (named != null) {
                throw SignInFailures.refused(named.oidcSubject == null
                        ? "A " + SignInFailures.ACCOUNT_REFUSAL + " named '" + username + "' already exists and is not "
                        + "linked to this identity; a platform admin can link it (PUT /api/v1/users/" + username
                        + "/oidc-link)"
                        : "The " + SignInFailures.ACCOUNT_REFUSAL + " '" + username + "' is linked to another identity "
                        + "of the provider");
            }
            user = new AppUser();
            user.username = username;
            String name = jwt.getClaim("name");
            user.displayName = name == null ? "" : name.length() > 200 ? name.substring(0, 200) : name;
            user.oidcSubject = subject;
            user.persistAndFlush();
            audit.record(username, null, null, "user.create", "user/" + username, null,
                    Map.of("username", username, "source", Membership.OIDC));
        }
        if (user.disabled()) {
            throw SignInFailures.refused("This " + SignInFailures.ACCOUNT_REFUSAL + " is disabled; a platform admin can"
                    + " enable it again");
        }
        Set<String> groups = groups(jwt);
        syncPlatformAdmin(user, groups.contains(PLATFORM_ADMINS));
        syncMemberships(user, teamRoles(groups));
        return user;
    }

    private static String username(JsonWebToken jwt) {
        String name = jwt.getClaim("preferred_username");
        if (name == null) {
            name = jwt.getName();
        }
        name = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (!AccountService.USERNAME.matcher(name).matches()) {
            throw SignInFailures.refused("preferred_username '" + (name.length() > 64 ? name.substring(0, 64) + "…" : name)
                    + "' is not a valid Gatehouse username (" + io.gatehouse.common.NameRules.USERNAME + ")");
        }
        return name;
    }

    private static Set<String> groups(JsonWebToken jwt) {
        Set<String> groups = jwt.getGroups();
        return groups == null ? Set.of() : groups;
    }

    /** The strongest role per team named by the groups. */
    static Map<String, Role> teamRoles(Collection<String> groups) {
        Map<String, Role> roles = new TreeMap<>();
        for (String group : groups) {
            Matcher m = TEAM_GROUP.matcher(group);
            if (m.matches()) {
                Role role = Role.fromWireName(m.group(2));
                roles.merge(m.group(1), role, (a, b) -> a.atLeast(b) ? a : b);
            }
        }
        return roles;
    }

    private void syncPlatformAdmin(AppUser user, boolean inGroup) {
        if (inGroup && !user.platformAdmin) {
            user.platformAdmin = true;
            user.platformAdminOidc = true;
            audit.record(user.username, null, null, "user.platform-admin", "user/" + user.username,
                    false, true);
        } else if (!inGroup && user.platformAdminOidc) {
            user.platformAdmin = false;
            user.platformAdminOidc = false;
            audit.record(user.username, null, null, "user.platform-admin", "user/" + user.username,
                    true, false);
        }
    }

    private void syncMemberships(AppUser user, Map<String, Role> wanted) {
        Map<String, Role> missing = new HashMap<>(wanted);
        List<Membership> current = Membership.list("user", user);
        for (Membership m : current) {
            String slug = m.team.slug;
            Role role = missing.remove(slug);
            if (!Membership.OIDC.equals(m.source)) {
                continue;
            }
            if (role == null) {
                m.delete();
                record(user, slug, Map.of("role", m.role.wireName()), null);
            } else if (m.role != role) {
                Map<String, String> before = Map.of("role", m.role.wireName());
                m.role = role;
                record(user, slug, before, Map.of("role", role.wireName(), "source", Membership.OIDC));
            }
        }
        for (Map.Entry<String, Role> e : missing.entrySet()) {
            Team team = Team.findBySlug(e.getKey()).orElse(null);
            if (team == null) {
                continue;
            }
            Membership m = new Membership();
            m.team = team;
            m.user = user;
            m.role = e.getValue();
            m.source = Membership.OIDC;
            m.persist();
            record(user, team.slug, null, Map.of("role", m.role.wireName(), "source", Membership.OIDC));
        }
    }

    private void record(AppUser user, String team, Object before, Object after) {
        audit.record(user.username, team, null, after == null ? "member.delete" : "member.put",
                "team/" + team + "/members/" + user.username, before, after);
    }
}
