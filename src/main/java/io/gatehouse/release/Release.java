package io.gatehouse.release;

import io.gatehouse.stage.Stage;
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
import java.util.List;
import java.util.Optional;

/**
 * A version published to a stage together with the stage's backend config at that moment: a rollback
 * restores hosts and weights too. Immutable; the proxy serves a stage's latest release.
 */
@Entity
@Immutable
@Table(name = "release")
public class Release extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "stage_id")
    public Stage stage;
    public int number;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "version_id")
    public GatewayVersion version;
    @JdbcTypeCode(SqlTypes.JSON)
    public String backend;
    // Fetched on first use only (Hibernate's bytecode enhancement, always on in Quarkus): a list, a page or the
    // live status of a 10,000-resource gateway would otherwise carry a 2 MB snapshot per row.
    @Basic(fetch = FetchType.LAZY)
    @JdbcTypeCode(SqlTypes.JSON)
    public String resources;
    public String comment;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "rollback_of")
    public Release rollbackOf;
    @Column(name = "created_by")
    public String createdBy;
    @Column(name = "created_at", updatable = false)
    public OffsetDateTime createdAt;
    /** The second member who approved the request this release came from; null when published directly. */
    @Column(name = "approved_by")
    public String approvedBy;

    // Releases are never changed once written: read-only, so their (large) snapshots are not kept twice for dirty
    // checking nor compared at every auto-flush.
    public static Optional<Release> latest(Stage stage) {
        return find("stage = ?1 order by number desc", stage).withHint(org.hibernate.jpa.HibernateHints.HINT_READ_ONLY, true).firstResultOptional();
    }

    public static Optional<Release> find(Stage stage, int number) {
        return find("stage = ?1 and number = ?2", stage, number).withHint(org.hibernate.jpa.HibernateHints.HINT_READ_ONLY, true).firstResultOptional();
    }

    public static List<Release> history(Stage stage) {
        return find("stage = ?1 order by number desc", stage).withHint(org.hibernate.jpa.HibernateHints.HINT_READ_ONLY, true).list();
    }
}
