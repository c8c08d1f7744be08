package io.gatehouse.team;

import io.gatehouse.auth.AppUser;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import java.util.Optional;

@Entity
@Table(name = "membership")
public class Membership extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "team_id")
    public Team team;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id")
    public AppUser user;
    @Convert(converter = Role.Converter.class)
    public Role role;
    /** {@link #LOCAL} (set in Gatehouse) or {@link #OIDC} (from the token's groups, kept in sync by OidcAccounts). */
    public String source = LOCAL;

    public static final String LOCAL = "local";
    public static final String OIDC = "oidc";

    public static Optional<Membership> find(Team team, AppUser user) {
        return find("team = ?1 and user = ?2", team, user).firstResultOptional();
    }
}
