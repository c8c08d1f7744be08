package io.gatehouse.release;

import io.gatehouse.gateway.Gateway;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;
import java.util.Optional;

/** A numbered, immutable snapshot of a gateway's resources (with their per-stage overrides). */
@Entity
@Immutable
@Table(name = "gateway_version")
public class GatewayVersion extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "gateway_id")
    public Gateway gateway;
    public int number;
    public String title;
    public String comment;
    /** JSON object: resource name to normalized ResourceSpec. */
    // Fetched on first use only (Hibernate's bytecode enhancement, always on in Quarkus): a list, a page or the
    // live status of a 10,000-resource gateway would otherwise carry a 2 MB snapshot per row.
    @Basic(fetch = FetchType.LAZY)
    @JdbcTypeCode(SqlTypes.JSON)
    public String resources;
    @Column(name = "created_by")
    public String createdBy;
    @Column(name = "created_at", updatable = false)
    public OffsetDateTime createdAt;

    // Versions are never changed once written: read-only, as Release's.
    public static Optional<GatewayVersion> find(Gateway gateway, int number) {
        return find("gateway = ?1 and number = ?2", gateway, number).withHint(org.hibernate.jpa.HibernateHints.HINT_READ_ONLY, true).firstResultOptional();
    }

    public static Optional<GatewayVersion> latest(Gateway gateway) {
        return find("gateway = ?1 order by number desc", gateway).withHint(org.hibernate.jpa.HibernateHints.HINT_READ_ONLY, true).firstResultOptional();
    }
}
