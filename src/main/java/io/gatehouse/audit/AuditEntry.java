package io.gatehouse.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.OffsetDateTime;

@Entity
@Table(name = "audit_entry")
public class AuditEntry extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(insertable = false, updatable = false)
    public OffsetDateTime at;
    public String actor;
    public String team;
    public String gateway;
    public String action;
    public String target;
    @JdbcTypeCode(SqlTypes.JSON)
    public String before;
    @JdbcTypeCode(SqlTypes.JSON)
    public String after;
}
