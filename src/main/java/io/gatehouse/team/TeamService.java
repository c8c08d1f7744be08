package io.gatehouse.team;

import io.gatehouse.audit.AuditLog;
import io.gatehouse.auth.Access;
import io.gatehouse.auth.AppUser;
import io.gatehouse.common.ApiException;
import io.gatehouse.common.Keyset;
import io.gatehouse.common.ValidationException;
import io.gatehouse.common.Violations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

@ApplicationScoped
public class TeamService {
    public static final Pattern SLUG = Pattern.compile("^[a-z][a-z0-9-]{1,62}$");

    public record TeamBody(String slug, String name) {
    }

    public record TeamView(String slug, String name, String role) {
    }

    public record MemberBody(String role) {
    }

    public record MemberView(String username, String displayName, String role) {
    }

    /** Whether a membership was created or changed, for 201 versus 200. */
    public record MemberChange(MemberView member, boolean created) {
    }

    private final Access access;
    private final AuditLog audit;

    public TeamService(Access access, AuditLog audit) {
        this.access = access;
        this.audit = audit;
    }

    /** The caller's teams; a platform admin sees every team. */
    @Transactional
    public List<TeamView> list() {
        AppUser user = access.user();
        List<Team> teams = user.platformAdmin ? Team.list("order by slug")
                : Team.list("select m.team from Membership m where m.user = ?1 order by m.team.slug", user);
        return teams.stream().map(t -> view(t, access.roleIn(t, user))).toList();
    }

    /**
     * A page of the caller's teams (a platform admin's: every team) in slug order, those whose slug or name contains
     * {@code q}.
     */
    @Transactional
    public Keyset.Page<TeamView> page(String q, String after) {
        return page(q, after, TEAMS_PAGE);
    }

    /** Rows per page of the console's list of teams. */
    public static final int TEAMS_PAGE = 50;

    /**
     * What the console's team switcher shows on every page: the caller's first {@value #SWITCHER} teams (its
     * "All teams…" link opens the searched list) and, when {@code current} is one of theirs, that team with the
     * caller's role (null otherwise), looked up by itself, so no page loads every team.
     */
    @Transactional
    public Switcher switcher(String current) {
        AppUser user = access.user();
        TeamView team = current == null ? null : Team.findBySlug(current)
                .map(t -> {
                    Role role = access.roleIn(t, user);
                    return role == null ? null : view(t, role);
                }).orElse(null);
        return new Switcher(page(null, null, SWITCHER).items(), team);
    }

    public record Switcher(List<TeamView> first, TeamView current) {
    }

    public static final int SWITCHER = 20;

    private Keyset.Page<TeamView> page(String q, String after, int size) {
        AppUser user = access.user();
        Keyset.check(q, null);
        if (user.platformAdmin) {
            return Keyset.page(new Keyset.Query<>(Team.class, "1 = 1", Map.of(), "slug", false, List.of("slug", "name")),
                    q, after, size, t -> t.slug, k -> k).map(t -> view(t, Role.OWNER));
        }
        return Keyset.page(new Keyset.Query<>(Membership.class, "user = :user", Map.of("user", user), "team.slug", false,
                        List.of("team.slug", "team.name")),
                q, after, size, m -> m.team.slug, k -> k).map(m -> view(m.team, m.role));
    }

    @Transactional
    public TeamView create(TeamBody body) {
        AppUser admin = access.platformAdmin();
        Violations v = new Violations();
        if (body == null) {
            throw ApiException.badRequest("a JSON body with slug and name is required");
        }
        if (body.slug() == null || !SLUG.matcher(body.slug()).matches()) {
            v.add("slug", io.gatehouse.common.NameRules.SLUG);
        }
        if (body.name() == null || body.name().isBlank() || body.name().length() > 200) {
            v.add("name", "is required, at most 200 characters");
        }
        v.throwIfAny();
        if (Team.findBySlug(body.slug()).isPresent()) {
            throw ApiException.conflict("a team with slug '" + body.slug() + "' already exists");
        }
        Team team = new Team();
        team.slug = body.slug();
        team.name = body.name().trim();
        team.persist();
        Membership owner = new Membership();
        owner.team = team;
        owner.user = admin;
        owner.role = Role.OWNER;
        owner.persist();
        TeamView view = view(team, Role.OWNER);
        audit.record(admin.username, team.slug, null, "team.create", "team/" + team.slug, null, view);
        return view;
    }

    @Transactional
    public List<MemberView> members(String slug) {
        Team team = access.team(slug, Role.VIEWER);
        List<Membership> members = Membership.list("team = ?1 order by user.username", team);
        return members.stream().map(TeamService::view).toList();
    }

    /** A page of the team's members in username order, those whose username or display name contains {@code q}. */
    @Transactional
    public Keyset.Page<MemberView> membersPage(String slug, String q, String after) {
        Team team = access.team(slug, Role.VIEWER);
        Keyset.check(q, null);
        return Keyset.page(new Keyset.Query<>(Membership.class, "team = :team",
                        java.util.Map.of("team", team), "user.username", false, List.of("user.username", "user.displayName")),
                q, after, MEMBERS_PAGE, m -> m.user.username, k -> k).map(TeamService::view);
    }

    public static final int MEMBERS_PAGE = 100;

    /** 404 unless the caller is in team {@code slug}, 403 unless as an owner (platform admins are). */
    @Transactional
    public void requireOwner(String slug) {
        access.team(slug, Role.OWNER);
    }

    @Transactional
    public MemberChange putMember(String slug, String username, MemberBody body) {
        AppUser actor = access.user();
        Team team = access.team(slug, Role.OWNER);
        Role role = body == null ? null : Role.fromWireName(body.role());
        if (role == null) {
            throw ValidationException.of("role", "must be one of owner, maintainer, viewer");
        }
        AppUser user = AppUser.findByUsername(username).orElseThrow(() -> ApiException.notFound("user", username));
        Membership m = Membership.find(team, user).orElse(null);
        boolean created = m == null;
        Map<String, String> before = created ? null : Map.of("role", m.role.wireName());
        if (created) {
            m = new Membership();
            m.team = team;
            m.user = user;
        } else if (m.role == Role.OWNER && role != Role.OWNER) {
            requireAnotherOwner(team);
        }
        m.role = role;
        // Set here, it is a local membership from now on: the OIDC sync no longer changes or removes it.
        m.source = Membership.LOCAL;
        m.persist();
        MemberView view = view(m);
        audit.record(actor.username, slug, null, "member.put", "team/" + slug + "/members/" + username, before, view);
        return new MemberChange(view, created);
    }

    @Transactional
    public void removeMember(String slug, String username) {
        AppUser actor = access.user();
        Team team = access.team(slug, Role.OWNER);
        AppUser user = AppUser.findByUsername(username).orElseThrow(() -> ApiException.notFound("member", username));
        Membership m = Membership.find(team, user).orElseThrow(() -> ApiException.notFound("member", username));
        if (m.role == Role.OWNER) {
            requireAnotherOwner(team);
        }
        MemberView before = view(m);
        m.delete();
        audit.record(actor.username, slug, null, "member.delete", "team/" + slug + "/members/" + username, before, null);
    }

    private static void requireAnotherOwner(Team team) {
        if (Membership.count("team = ?1 and role = ?2", team, Role.OWNER) <= 1) {
            throw ApiException.conflict("team '" + team.slug + "' must keep at least one owner");
        }
    }

    private static TeamView view(Team team, Role role) {
        return new TeamView(team.slug, team.name, role == null ? null : role.wireName());
    }

    private static MemberView view(Membership m) {
        return new MemberView(m.user.username, m.user.displayName, m.role.wireName());
    }
}
