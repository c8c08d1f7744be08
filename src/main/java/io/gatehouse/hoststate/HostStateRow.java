package io.gatehouse.hoststate;

import io.gatehouse.gateway.Gateway;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** An operator's state for one host URL (canonical form) of a gateway; a host without a row is active. */
@Entity
@Table(name = "host_state")
@IdClass(HostStateRow.Key.class)
public class HostStateRow extends PanacheEntityBase {
    @Id
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "gateway_id")
    public Gateway gateway;
    @Id
    public String url;
    public String state;
    public String reason;
    @Column(name = "updated_by")
    public String updatedBy;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    public static Optional<HostStateRow> find(Gateway gateway, String url) {
        return find("gateway = ?1 and url = ?2", gateway, url).firstResultOptional();
    }

    public static List<HostStateRow> listFor(Gateway gateway) {
        return list("gateway = ?1 order by url", gateway);
    }

    /** The composite primary key (gateway_id, url). */
    public static class Key implements Serializable {
        public Long gateway;
        public String url;

        public Key() {
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(gateway, k.gateway) && Objects.equals(url, k.url);
        }

        @Override
        public int hashCode() {
            return Objects.hash(gateway, url);
        }
    }
}
