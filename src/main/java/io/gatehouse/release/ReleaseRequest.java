package io.gatehouse.release;

import io.gatehouse.stage.Stage;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.LockModeType;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * A publish or rollback to a stage that requires approval, waiting for a second member. It freezes the
 * backend config and resources when requested, so what is approved is exactly what was reviewed.
 */
@Entity
@Table(name = "release_request")
public class ReleaseRequest extends PanacheEntityBase {
    public static final String PENDING = "pending";
    public static final String APPROVED = "approved";
    public static final String REJECTED = "rejected";
    public static final String WITHDRAWN = "withdrawn";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "stage_id")
    public Stage stage;
    public int number;
    /** {@code publish} or {@code rollback}. */
    public String kind;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "version_id")
    public GatewayVersion version;
    @JdbcTypeCode(SqlTypes.JSON)
    public String backend;
    @JdbcTypeCode(SqlTypes.JSON)
    public String resources;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "rollback_of")
    public Release rollbackOf;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "base_release_id")
    public Release baseRelease;
    public String comment;
    @Column(name = "requested_by")
    public String requestedBy;
    @Column(name = "requested_at")
    public OffsetDateTime requestedAt;
    public String status;
    @Column(name = "decided_by")
    public String decidedBy;
    @Column(name = "decided_at")
    public OffsetDateTime decidedAt;
    @Column(name = "decision_comment")
    public String decisionComment;
    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "release_id")
    public Release release;

    public static Optional<ReleaseRequest> pending(Stage stage) {
        return find("stage = ?1 and status = ?2", stage, PENDING).firstResultOptional();
    }

    /** The request, locked for the rest of the transaction so two decisions on it are serialised. */
    public static Optional<ReleaseRequest> findForUpdate(Stage stage, int number) {
        return find("stage = ?1 and number = ?2", stage, number).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }

    public static List<ReleaseRequest> history(Stage stage) {
        return list("stage = ?1 order by number desc", stage);
    }

    static int nextNumber(Stage stage) {
        Integer max = getEntityManager().createQuery(
                        "select max(r.number) from ReleaseRequest r where r.stage = ?1", Integer.class)
                .setParameter(1, stage).getSingleResult();
        return max == null ? 1 : max + 1;
    }
}
