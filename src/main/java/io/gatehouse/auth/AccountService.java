package io.gatehouse.auth;

import io.gatehouse.common.Keyset;
import io.gatehouse.audit.AuditLog;
import io.gatehouse.common.ApiException;
import io.gatehouse.common.Violations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Local accounts: create, link to an OIDC identity, passwords (change, reset), disable and enable, and the lists
 * platform admins and the console read. Personal access tokens are {@link AccessTokenService}'s.
 */
@ApplicationScoped
public class AccountService {
    public static final Pattern USERNAME = Pattern.compile("^[a-z][a-z0-9._-]{1,63}$");

    public record UserBody(String username, String password, String displayName, Boolean platformAdmin) {
    }

    public record UserView(String username, String displayName, boolean platformAdmin) {
    }

    /** An explicit link of an account to an OIDC identity: the provider's {@code sub} (Keycloak's user id). */
    public record OidcLinkBody(String subject) {
    }

    public record OidcLinkView(String username, String subject) {
    }

    /** A signed-in user's new password; {@code currentPassword} proves it is them, not a borrowed session. */
    public record PasswordBody(String currentPassword, String newPassword) {
    }

    /** An account as a platform admin sees it in the users list. */
    public record AccountView(String username, String displayName, boolean platformAdmin, boolean local,
                              boolean oidc, OffsetDateTime createdAt, OffsetDateTime disabledAt, String disabledBy) {
        public boolean disabled() {
            return disabledAt != null;
        }
    }

    private final Access access;
    private final AuditLog audit;
    private final Passwords passwords;

    public AccountService(Access access, AuditLog audit, Passwords passwords) {
        this.access = access;
        this.audit = audit;
        this.passwords = passwords;
    }

    @Transactional
    public UserView me() {
        return view(access.user());
    }

    @Transactional
    public UserView createUser(UserBody body) {
        AppUser admin = access.platformAdmin();
        if (body == null) {
            throw ApiException.badRequest("a JSON body with username, password and display_name is required");
        }
        Violations v = new Violations();
        if (body.username() == null || !USERNAME.matcher(body.username()).matches()) {
            v.add("username", io.gatehouse.common.NameRules.USERNAME);
        }
        String passwordProblem = Passwords.problem(body.password());
        if (passwordProblem != null) {
            v.add("password", passwordProblem);
        }
        if (body.displayName() != null && body.displayName().length() > 200) {
            v.add("display_name", "must be at most 200 characters");
        }
        v.throwIfAny();
        if (AppUser.findByUsername(body.username()).isPresent()) {
            throw ApiException.conflict("a user named '" + body.username() + "' already exists");
        }
        AppUser user = create(body.username(), body.password(), body.displayName(),
                Boolean.TRUE.equals(body.platformAdmin()));
        UserView view = view(user);
        audit.record(admin.username, null, null, "user.create", "user/" + user.username, null, view);
        return view;
    }

    /**
     * Links an existing account to the identity provider's user with this subject (platform admins): the only
     * way an OIDC sign-in reaches an account that OIDC did not create, such as a local one with a password,
     * since sign-in never links by name. Replaces an earlier link of this account.
     */
    @Transactional
    public OidcLinkView linkOidc(String username, OidcLinkBody body) {
        AppUser admin = access.platformAdmin();
        AppUser user = AppUser.findByUsername(username).orElseThrow(() -> ApiException.notFound("user", username));
        String subject = body == null || body.subject() == null ? null : body.subject().trim();
        if (subject == null || subject.isEmpty() || subject.length() > OidcAccounts.MAX_SUBJECT) {
            Violations v = new Violations();
            v.add("subject", "is required: the identity provider's sub of the user, at most "
                    + OidcAccounts.MAX_SUBJECT + " characters");
            v.throwIfAny();
        }
        AppUser holder = AppUser.findByOidcSubject(subject).orElse(null);
        if (holder != null && !holder.id.equals(user.id)) {
            throw ApiException.conflict("this identity is already linked to the account '" + holder.username + "'");
        }
        String before = user.oidcSubject;
        if (!subject.equals(before)) {
            user.oidcSubject = subject;
            audit.record(admin.username, null, null, "user.oidc-link", "user/" + user.username,
                    before == null ? null : Map.of("subject", before), Map.of("subject", subject));
        }
        return new OidcLinkView(user.username, subject);
    }

    /** Removes an account's OIDC link (platform admins): the identity can no longer sign in to it. */
    @Transactional
    public void unlinkOidc(String username) {
        AppUser admin = access.platformAdmin();
        AppUser user = AppUser.findByUsername(username).orElseThrow(() -> ApiException.notFound("user", username));
        if (user.oidcSubject != null) {
            audit.record(admin.username, null, null, "user.oidc-unlink", "user/" + user.username,
                    Map.of("subject", user.oidcSubject), null);
            user.oidcSubject = null;
        }
    }

    /**
     * Changes the caller's own password (local accounts): the current one must match, the new one follows the
     * same rules as at creation (8-72 bytes). Audited without either password.
     */
    @Transactional
    public void changePassword(PasswordBody body) {
        AppUser user = access.user();
        Violations v = new Violations();
        if (user.passwordHash == null) {
            v.add("current_password", "this account signs in through the identity provider and has no password here");
            v.throwIfAny();
        }
        String current = body == null ? null : body.currentPassword();
        String next = body == null ? null : body.newPassword();
        if (current == null || current.isEmpty()) {
            v.add("current_password", "is required");
        } else if (!passwords.matches(current, user.passwordHash)) {
            v.add("current_password", "is not your current password");
        }
        String problem = Passwords.problem(next);
        if (problem != null) {
            v.add("new_password", problem);
        } else if (next.equals(current)) {
            v.add("new_password", "must differ from the current password");
        }
        v.throwIfAny();
        user.passwordHash = passwords.hash(next);
        // Every other console session of this user ends; the one the change was made in goes on.
        user.sessionsValidAfter = OffsetDateTime.now();
        user.keptSession = access.sessionTag();
        audit.record(user.username, null, null, "user.password", "user/" + user.username, null, null);
    }

    /**
     * A platform admin sets a new password for a local account (the user forgot theirs, or it leaked): the same
     * length rules; every console session of that user ends. Access tokens are separate credentials and keep
     * working (the user lists and revokes them; disabling the account stops them all).
     */
    @Transactional
    public void resetPassword(String username, String password) {
        AppUser admin = access.platformAdmin();
        AppUser user = AppUser.findByUsername(username).orElseThrow(() -> ApiException.notFound("user", username));
        Violations v = new Violations();
        if (user.passwordHash == null) {
            v.add("password", "this account signs in through the identity provider and has no password here");
        } else {
            String problem = Passwords.problem(password);
            if (problem != null) {
                v.add("password", problem);
            }
        }
        v.throwIfAny();
        user.passwordHash = passwords.hash(password);
        user.sessionsValidAfter = OffsetDateTime.now();
        user.keptSession = null;
        audit.record(admin.username, null, null, "user.password-reset", "user/" + user.username, null, null);
    }

    /**
     * Disables or enables an account (platform admins). A disabled account cannot sign in (password, HTTP Basic,
     * Keycloak), its console sessions end at their next request and its access tokens answer 401, all until it is
     * enabled again: tokens that have not expired or been revoked then work again, since disabling is the
     * reversible switch (revoking is the permanent one). Nobody disables their own account, so the last admin
     * cannot lock everyone out by mistake.
     */
    @Transactional
    public AccountView setDisabled(String username, boolean disabled) {
        AppUser admin = access.platformAdmin();
        AppUser user = AppUser.findByUsername(username).orElseThrow(() -> ApiException.notFound("user", username));
        if (disabled && user.id.equals(admin.id)) {
            throw ApiException.conflict("you cannot disable your own account; another platform admin can");
        }
        if (disabled != user.disabled()) {
            user.disabledAt = disabled ? OffsetDateTime.now() : null;
            user.disabledBy = disabled ? admin.username : null;
            audit.record(admin.username, null, null, disabled ? "user.disable" : "user.enable", "user/" + user.username,
                    Map.of("disabled", !disabled), Map.of("disabled", disabled));
        }
        return accountView(user);
    }

    /** Every account, for platform admins. */
    @Transactional
    public List<AccountView> accounts() {
        access.platformAdmin();
        List<AppUser> users = AppUser.list("order by username");
        return users.stream().map(AccountService::accountView).toList();
    }

    /** A page of every account in username order, those whose username or display name contains {@code q}. */
    @Transactional
    public Keyset.Page<AccountView> accountsPage(String q, String after) {
        access.platformAdmin();
        Keyset.check(q, null);
        return Keyset.page(new Keyset.Query<>(AppUser.class, "1 = 1", Map.of(),
                        "username", false, List.of("username", "displayName")),
                q, after, PAGE, u -> u.username, k -> k).map(AccountService::accountView);
    }

    /** One account, for platform admins. */
    @Transactional
    public AccountView account(String username) {
        access.platformAdmin();
        return accountView(AppUser.findByUsername(username).orElseThrow(() -> ApiException.notFound("user", username)));
    }

    /** Rows per page of the console's lists of accounts and tokens. */
    public static final int PAGE = 100;

    private static AccountView accountView(AppUser u) {
        return new AccountView(u.username, u.displayName, u.platformAdmin, u.passwordHash != null,
                u.oidcSubject != null, u.createdAt, u.disabledAt, u.disabledBy);
    }

    /** The usernames of the platform admins: who to ask for an account. */
    @Transactional
    public List<String> platformAdmins() {
        access.user();
        List<AppUser> admins = AppUser.list("platformAdmin = true order by username");
        return admins.stream().map(u -> u.username).toList();
    }

    /**
     * The add-member form's suggestions: the first {@value #SUGGESTIONS} usernames, in order, whose username or
     * display name contains {@code typed} (blank: the first of all), so the form stays small with 10,000 accounts.
     * Team owners and platform admins ask for it; an input longer than any name suggests nothing.
     */
    @Transactional
    public List<String> usernames(String typed) {
        access.user();
        if (typed != null && typed.length() > 200) {
            return List.of();
        }
        return Keyset.page(new Keyset.Query<>(AppUser.class, "1 = 1", Map.of(),
                        "username", false, List.of("username", "displayName")),
                typed, null, SUGGESTIONS, u -> u.username, k -> k).items().stream().map(u -> u.username).toList();
    }

    /** How many usernames the add-member form suggests at a time. */
    public static final int SUGGESTIONS = 20;

    /** Creates a local account; the caller has checked the rules. */
    private AppUser create(String username, String password, String displayName, boolean platformAdmin) {
        AppUser user = new AppUser();
        user.username = username;
        user.passwordHash = passwords.hash(password);
        user.displayName = displayName == null ? username : displayName;
        user.platformAdmin = platformAdmin;
        user.persist();
        return user;
    }

    private static UserView view(AppUser user) {
        return new UserView(user.username, user.displayName, user.platformAdmin);
    }
}
