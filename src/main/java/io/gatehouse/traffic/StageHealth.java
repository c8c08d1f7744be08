package io.gatehouse.traffic;

import io.gatehouse.release.Receipts;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each host of a stage on each live instance, from what the instances write ({@code host_health}, see
 * {@link io.gatehouse.release.HostHealthWriter}): the health API and the Traffic tab. An instance whose
 * heartbeat is older than {@link Receipts#LIVE_SECONDS} no longer counts. Callers check visibility first.
 */
@ApplicationScoped
public class StageHealth {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    /** One instance's view of a host. */
    @RegisterForReflection
    public record OnInstance(String instance, String state, Instant since, String reason) {
    }

    /**
     * @param summary "up on 3 of 3 instances", or "down on 2 of 3 instances: connect refused (3 in a row) since
     *                12:03:01 UTC" (the reason and time of the longest-down instance)
     */
    @RegisterForReflection
    public record HostView(String url, int upOn, int downOn, int of, String summary, List<OnInstance> instances) {
    }

    @RegisterForReflection
    public record View(String gateway, String stage, int liveInstances, List<HostView> hosts) {
    }

    private final EntityManager em;

    public StageHealth(EntityManager em) {
        this.em = em;
    }

    public View of(String gateway, String stage) {
        Number live = (Number) em.createNativeQuery(
                        "select count(*) from proxy_instance where heartbeat_at > now() - make_interval(secs => ?1)")
                .setParameter(1, Receipts.LIVE_SECONDS).getSingleResult();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select h.url, h.instance_id, h.up, h.since, h.reason
                          from host_health h join proxy_instance i on i.id = h.instance_id
                         where h.gateway = ?1 and h.stage = ?2
                           and i.heartbeat_at > now() - make_interval(secs => ?3)
                         order by h.url, h.instance_id""")
                .setParameter(1, gateway).setParameter(2, stage).setParameter(3, Receipts.LIVE_SECONDS)
                .getResultList();
        Map<String, List<OnInstance>> byUrl = new LinkedHashMap<>();
        for (Object[] r : rows) {
            Instant since = r[3] instanceof java.sql.Timestamp t ? t.toInstant()
                    : r[3] instanceof java.time.OffsetDateTime o ? o.toInstant() : (Instant) r[3];
            byUrl.computeIfAbsent((String) r[0], u -> new ArrayList<>())
                    .add(new OnInstance((String) r[1], Boolean.TRUE.equals(r[2]) ? "up" : "down", since, (String) r[4]));
        }
        List<HostView> hosts = new ArrayList<>();
        byUrl.forEach((url, on) -> hosts.add(host(url, on)));
        return new View(gateway, stage, live.intValue(), hosts);
    }

    static HostView host(String url, List<OnInstance> on) {
        int down = 0;
        OnInstance longest = null;
        for (OnInstance o : on) {
            if (o.state().equals("down")) {
                down++;
                if (longest == null || o.since().isBefore(longest.since())) {
                    longest = o;
                }
            }
        }
        int of = on.size();
        String summary = down == 0 ? "up on " + of + " of " + of + " instance" + (of == 1 ? "" : "s")
                : "down on " + down + " of " + of + " instance" + (of == 1 ? "" : "s") + ": "
                + (longest.reason() == null ? "down" : longest.reason()) + " since "
                + CLOCK.format(longest.since()) + " UTC";
        return new HostView(url, of - down, down, of, summary, List.copyOf(on));
    }
}
