package io.gatehouse.tenant;

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
import java.util.List;

/** An API key of a tenant: the secret is shown once; only its SHA-256 and a short prefix are kept. */
@Entity
@Table(name = "tenant_api_key")
public class TenantApiKey extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "tenant_id")
    public Tenant tenant;
    public String name;
    @Column(name = "key_hash")
    public String keyHash;
    public String prefix;
    @Column(name = "created_by")
    public String createdBy;
    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;
    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;
    /** Written in batches by the proxy instances (see KeyUsage), so it may lag by a flush interval. */
    @Column(name = "last_used_at", insertable = false, updatable = false)
    public OffsetDateTime lastUsedAt;
    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;

    public static List<TenantApiKey> listFor(Tenant tenant) {
        return list("tenant = ?1 order by createdAt desc, id desc", tenant);
    }
}
