package io.gatehouse.auth;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** A personal access token: the secret itself is shown once and only its SHA-256 is kept. */
@Entity
@Table(name = "access_token")
public class AccessToken extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id")
    public AppUser user;
    public String name;
    @Column(name = "token_hash")
    public String tokenHash;
    public String prefix;
    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;
    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;
    @Column(name = "last_used_at")
    public OffsetDateTime lastUsedAt;
    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;

    public boolean usableAt(OffsetDateTime now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }
}
