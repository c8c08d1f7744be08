package io.gatehouse.tenant;

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

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** A consumer of a gateway's API: what tenant pools, resource tenant rules and API keys name. */
@Entity
@Table(name = "tenant")
public class Tenant extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "gateway_id")
    public Gateway gateway;
    public String name;
    public String description;
    /** Both null (no limit) or both set; the database checks that too. */
    @Column(name = "rate_limit_rps")
    public Integer rateLimitRps;
    @Column(name = "rate_limit_burst")
    public Integer rateLimitBurst;
    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    public static Optional<Tenant> find(Gateway gateway, String name) {
        return find("gateway = ?1 and name = ?2", gateway, name).firstResultOptional();
    }

    public static List<Tenant> listFor(Gateway gateway) {
        return list("gateway = ?1 order by name", gateway);
    }
}
