package io.gatehouse.resource;

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

/** A resource (API operation) of a gateway, as drafted: versions and releases snapshot these. */
@Entity
@Table(name = "api_resource")
public class ApiResource extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "gateway_id")
    public Gateway gateway;
    public String name;
    public String method;
    public String path;
    public String match;
    @Column(name = "path_shape")
    public String pathShape;
    @Column(name = "backend_path")
    public String backendPath;
    public String description;
    /** Per-stage overrides, a JSON object of stage name to normalized BackendConfig. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String overrides;
    /** The resource's tenant rule as JSON (ResourceSpec.TenantRule), or null for none. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String tenants;
    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    public static Optional<ApiResource> find(Gateway gateway, String name) {
        return find("gateway = ?1 and name = ?2", gateway, name).firstResultOptional();
    }

    /**
     * Every resource of the gateway, read-only: a 10,000-resource gateway's rows are then neither copied for dirty
     * checking nor compared at every later query's auto-flush and at commit (docs/benchmarks.md). Change a row
     * through {@link #find} instead.
     */
    public static List<ApiResource> listFor(Gateway gateway) {
        return find("gateway = ?1 order by name", gateway).withHint(org.hibernate.jpa.HibernateHints.HINT_READ_ONLY, true).list();
    }
}
