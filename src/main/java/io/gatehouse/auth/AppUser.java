package io.gatehouse.auth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.Optional;

@Entity
@Table(name = "app_user")
public class AppUser extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String username;
    @Column(name = "display_name")
    public String displayName;
    @Column(name = "password_hash")
    public String passwordHash;
    @Column(name = "platform_admin")
    public boolean platformAdmin;
    /**
     * The OIDC subject ({@code sub}) of the identity provider's account linked to this user, if any: set when
     * OIDC created the account, or by a platform admin's explicit link; never by a matching name.
     */
    @Column(name = "oidc_subject")
    public String oidcSubject;
    /** Platform admin because of the identity provider's {@code /platform-admins} group. */
    @Column(name = "platform_admin_oidc")
    public boolean platformAdminOidc;
    /** Set while a platform admin has disabled the account: nothing of it signs in or works. */
    @Column(name = "disabled_at")
    public OffsetDateTime disabledAt;
    @Column(name = "disabled_by")
    public String disabledBy;
    /** Console sessions that started before this are over (a password change or reset), see {@link ConsoleSessions}. */
    @Column(name = "sessions_valid_after")
    public OffsetDateTime sessionsValidAfter;
    /** The one session that outlives {@link #sessionsValidAfter}: the one the user changed their password in. */
    @Column(name = "kept_session")
    public String keptSession;
    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    public boolean disabled() {
        return disabledAt != null;
    }

    public static Optional<AppUser> findByUsername(String username) {
        return find("username", username).firstResultOptional();
    }

    public static Optional<AppUser> findByOidcSubject(String subject) {
        return find("oidcSubject", subject).firstResultOptional();
    }
}
