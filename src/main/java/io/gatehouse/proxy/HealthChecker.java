package io.gatehouse.proxy;

import io.gatehouse.balance.ActiveProbe;
import io.gatehouse.balance.Endpoint;
import io.gatehouse.balance.HealthMarks;
import io.gatehouse.balance.Host;
import io.gatehouse.balance.HostRegistry;
import io.gatehouse.balance.HostState;
import io.gatehouse.balance.Outcome;
import io.gatehouse.balance.Probes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Active probes and the passive cool-down.
 *
 * <p><b>Active:</b> one periodic Vert.x timer (never a thread) per distinct probe of every live pool
 * ({@link ActiveProbe.Key}: URL, path, interval, timeout, thresholds), started as soon as a snapshot is
 * applied, not on first traffic: {@code GET path} with the host's own Host header, 2xx/3xx within
 * {@code timeout_ms} is a success; {@code unhealthy_threshold} failures in a row take the host out of
 * the pools that run this probe, {@code healthy_threshold} successes bring it back. Pools that probe a
 * host identically share one timer and one result (it measures the host, not anyone's traffic); a
 * different path or threshold is another probe. A snapshot that drops or changes a probe cancels or
 * reschedules its timer on the spot.
 *
 * <p><b>Passive:</b> the forwarder reports every attempt through {@link io.gatehouse.balance.PoolSet#report};
 * when its marks take a host out of its stage's scope, this re-admits it after {@code passiveCooldown}
 * (nginx's {@code fail_timeout}, 10 s there too; Envoy's outlier ejection is time-based the same way),
 * and its next failures take it out again if it is still broken. Passive marks and probes are separate
 * verdicts: a host is available while neither says down.
 */
public final class HealthChecker implements HostRegistry.PassiveListener, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HealthChecker.class);

    /** One probe of one host, the timer's job; a change of any field of its key reschedules it. */
    record Probe(ActiveProbe.Key key, Host member, HealthMarks marks, Probes probes) {
    }

    private static final class Running {
        final Probe probe;
        final long timerId;
        boolean busy; // touched only on the timer's event loop

        Running(Probe probe, long timerId) {
            this.probe = probe;
            this.timerId = timerId;
        }
    }

    private final Vertx vertx;
    private final long cooldownMs;
    private final HttpClient client;
    private final ConcurrentHashMap<ActiveProbe.Key, Running> running = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<HostState, Long> cooling = new ConcurrentHashMap<>();
    private final java.util.function.Consumer<SnapshotStore> listener = this::reconcile;
    private SnapshotStore store;

    public HealthChecker(Vertx vertx, Duration passiveCooldown) {
        this(vertx, passiveCooldown, null);
    }

    /** @param backendTrust the proxy's trust for https hosts ({@link ProxyOptions#backendTrust()}), or null */
    public HealthChecker(Vertx vertx, Duration passiveCooldown, io.vertx.core.net.TrustOptions backendTrust) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.cooldownMs = Math.max(1, passiveCooldown.toMillis());
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(false) // a probe should test that new connections work, as new traffic needs
                .setVerifyHost(true)
                .setForceSni(true)
                .setMaxPoolSize(64);
        if (backendTrust != null) {
            options.setTrustOptions(backendTrust); // probes trust what forwarding trusts, or they mark hosts down
        }
        this.client = vertx.createHttpClient(options);
    }

    /** Follows {@code store}: probes what is live now and after every apply or remove. */
    public synchronized void start(SnapshotStore store) {
        this.store = store;
        store.addListener(listener);
    }

    @Override
    public synchronized void close() {
        if (store != null) {
            store.removeListener(listener);
        }
        running.values().forEach(r -> vertx.cancelTimer(r.timerId));
        running.clear();
        cooling.values().forEach(vertx::cancelTimer);
        cooling.clear();
        client.close();
    }

    /** The URLs probed right now (for tests and a status page). */
    public Set<String> probedUrls() {
        Set<String> urls = new java.util.HashSet<>();
        running.keySet().forEach(k -> urls.add(k.url()));
        return Set.copyOf(urls);
    }

    /** How many distinct probes run (identical probes of several pools count once). */
    public int probeCount() {
        return running.size();
    }

    /** Probes exactly what {@code current} serves now; also after DNS discovery changed a pool's members. */
    synchronized void reconcile(SnapshotStore current) {
        Map<ActiveProbe.Key, Probe> wanted = new HashMap<>();
        for (StageSnapshot snapshot : current.all()) {
            for (Upstream up : snapshot.upstreams()) {
                ActiveProbe probe = up.pools().health().probe();
                if (probe == null) {
                    continue;
                }
                Probes probes = up.pools().registry().probes();
                // Per member: each address of a discovered name is probed on its own, with the name as Host.
                up.live().members().forEach((url, member) -> {
                    ActiveProbe.Key key = new ActiveProbe.Key(url, probe);
                    wanted.computeIfAbsent(key, k -> new Probe(k, member, probes.marks(k), probes));
                });
            }
        }
        running.entrySet().removeIf(e -> {
            Probe want = wanted.get(e.getKey());
            if (want != null && want.marks() == e.getValue().probe.marks()) {
                return false;
            }
            vertx.cancelTimer(e.getValue().timerId);
            if (want == null) {
                e.getValue().probe.probes().retainOnly(keysOf(wanted, e.getValue().probe.probes()));
            }
            return true;
        });
        wanted.forEach((key, probe) -> running.computeIfAbsent(key, k -> schedule(probe)));
    }

    private static java.util.List<ActiveProbe.Key> keysOf(Map<ActiveProbe.Key, Probe> wanted, Probes probes) {
        return wanted.values().stream().filter(p -> p.probes() == probes).map(Probe::key).toList();
    }

    private Running schedule(Probe probe) {
        long timer = vertx.setPeriodic(1, probe.key().probe().intervalMs(), id -> {
            Running r = running.get(probe.key());
            if (r != null && r.timerId == id) {
                probe(r);
            }
        });
        return new Running(probe, timer);
    }

    private void probe(Running r) {
        if (r.busy) {
            return; // the previous probe is still out (timeout_ms <= interval_ms makes this rare)
        }
        r.busy = true;
        Probe p = r.probe;
        ActiveProbe spec = p.key().probe();
        Endpoint endpoint = p.member().endpoint();
        String address = p.member().address();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(endpoint.name())
                .setPort(endpoint.port())
                // A discovered address is connected to; the name stays the Host, SNI and certificate name.
                .setServer(address == null ? null : SocketAddress.inetSocketAddress(endpoint.port(), address))
                .setSsl(endpoint.tls())
                .setURI(spec.path())
                .setTimeout(spec.timeoutMs());
        boolean[] connected = {false};
        client.request(options)
                .compose(req -> {
                    connected[0] = true;
                    String host = endpoint.name().indexOf(':') >= 0 ? "[" + endpoint.name() + "]" : endpoint.name();
                    boolean defaultPort = endpoint.port() == (endpoint.tls() ? 443 : 80);
                    req.authority(HostAndPort.authority(host, defaultPort ? -1 : endpoint.port()));
                    return req.send();
                })
                .compose(resp -> resp.body().map(b -> resp.statusCode()))
                .onComplete(ar -> {
                    r.busy = false;
                    if (running.get(p.key()) != r) {
                        return; // rescheduled meanwhile; the new probe speaks for the host
                    }
                    String url = p.key().url();
                    if (ar.succeeded() && ar.result() >= 200 && ar.result() < 400) {
                        if (p.marks().success(spec.healthyThreshold())) {
                            LOG.infof("host %s is up (%d good checks of %s)", url, spec.healthyThreshold(), spec.path());
                        }
                        return;
                    }
                    Outcome outcome;
                    if (ar.succeeded()) {
                        outcome = Outcome.STATUS;
                    } else if (ar.cause() instanceof TimeoutException) {
                        outcome = Outcome.READ_TIMEOUT;
                    } else {
                        outcome = connected[0] ? Outcome.CLOSED : Outcomes.ofConnect(ar.cause());
                    }
                    if (p.marks().failure(spec.unhealthyThreshold(), outcome, ar.succeeded() ? ar.result() : 0)) {
                        LOG.infof("host %s is down: %s", url, p.marks().reason());
                    }
                });
    }

    /** Passive marks took {@code state} out of its scope: re-admit it after the cool-down. */
    @Override
    public void down(HostRegistry registry, HostState state) {
        LOG.infof("host %s is down for %s: %s", state.url(), registry.scope(), state.marks().reason());
        cooling.computeIfAbsent(state, s -> vertx.setTimer(cooldownMs, id -> {
            cooling.remove(state);
            if (state.marks().readmit("re-admitted after a " + cooldownMs + " ms cool-down")) {
                LOG.infof("host %s re-admitted for %s after a %d ms cool-down", state.url(), registry.scope(), cooldownMs);
            }
        }));
    }
}
