package io.gatehouse.stage;

import io.gatehouse.gateway.Gateway;
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
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

@Entity
@Table(name = "stage")
public class Stage extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "gateway_id")
    public Gateway gateway;
    public String name;
    public String description;
    /** The normalized {@link BackendConfig} as JSON (see JsonColumns). */
    @JdbcTypeCode(SqlTypes.JSON)
    public String backend;
    /** Publishing (and rolling back) needs a second member's approval: see release.ApprovalService. */
    @Column(name = "requires_approval")
    public boolean requiresApproval;
    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    public static Optional<Stage> find(Gateway gateway, String name) {
        return find("gateway = ?1 and name = ?2", gateway, name).firstResultOptional();
    }

    public static List<Stage> listFor(Gateway gateway) {
        return list("gateway = ?1 order by name", gateway);
    }
}
