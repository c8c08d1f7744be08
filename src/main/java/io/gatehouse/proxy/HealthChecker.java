package io.gatehouse.proxy;

import io.gatehouse.balance.Host;
import io.gatehouse.balance.HostRegistry;
import io.gatehouse.balance.HostState;
import io.gatehouse.stage.BackendConfig;
import io.gatehouse.stage.HostUrl;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Host health, keyed by host URL in the {@link HostRegistry} so it outlives every publish.
 *
 * <p><b>Active:</b> every host of every live pool with a {@code health_check} gets one periodic
 * Vert.x timer (never a thread), started as soon as a snapshot is applied, not on first traffic:
 * {@code GET path}, 2xx/3xx within {@code timeout_ms} is a success. {@code unhealthy_threshold}
 * failures in a row take it out, {@code healthy_threshold} successes bring it back. When several
 * live pools probe one URL differently, the shortest interval wins (ties by path). A snapshot that
 * drops or changes a host cancels or reschedules its timer on the spot.
 *
 * <p><b>Passive:</b> the forwarder reports connect failures, timeouts and 5xx as failures and other
 * answers as successes, against the same counters and thresholds (defaults 3 and 2 without a
 * health check). A host taken out passively comes back through its active probes; a host with no
 * active probe is re-admitted after {@code passiveCooldown} (nginx's {@code fail_timeout}, default
 * 10 s there too), and taken out again by its next failures if it is still broken.
 */
public final class HealthChecker implements PassiveHealth, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HealthChecker.class.getName());

    /** What to probe for one URL; a change of any field reschedules it. */
    record Probe(String url, HostUrl endpoint, String path, int intervalMs, int timeoutMs, int healthyThreshold,
                 int unhealthyThreshold, HostRegistry registry) {
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
    private final ConcurrentHashMap<String, Running> running = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> cooling = new ConcurrentHashMap<>();
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
    public java.util.Set<String> probedUrls() {
        return java.util.Set.copyOf(running.keySet());
    }

    synchronized void reconcile(SnapshotStore current) {
        Map<String, Probe> wanted = new HashMap<>();
        for (StageSnapshot snapshot : current.all()) {
            for (Upstream up : snapshot.upstreams()) {
                BackendConfig.HealthCheck hc = up.healthCheck();
                if (hc == null) {
                    continue;
                }
                up.endpoints().forEach((url, endpoint) -> wanted.merge(url,
                        new Probe(url, endpoint, hc.path(), hc.intervalMs(), hc.timeoutMs(), hc.healthyThreshold(),
                                hc.unhealthyThreshold(), up.pools().registry()),
                        HealthChecker::preferred));
            }
        }
        running.entrySet().removeIf(e -> {
            Probe want = wanted.get(e.getKey());
            if (want != null && want.equals(e.getValue().probe)) {
                return false;
            }
            vertx.cancelTimer(e.getValue().timerId);
            HostState state = e.getValue().probe.registry().find(e.getKey());
            if (want == null && state != null && !state.isUp()) {
                cooldown(state); // nobody probes it any more: fall back to passive re-admission
            }
            return true;
        });
        wanted.forEach((url, probe) -> running.computeIfAbsent(url, u -> schedule(probe)));
    }

    private static Probe preferred(Probe a, Probe b) {
        if (a.intervalMs() != b.intervalMs()) {
            return a.intervalMs() < b.intervalMs() ? a : b;
        }
        return a.path().compareTo(b.path()) <= 0 ? a : b;
    }

    private Running schedule(Probe probe) {
        long timer = vertx.setPeriodic(1, probe.intervalMs(), id -> {
            Running r = running.get(probe.url());
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
        String host = p.endpoint().host();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(host.startsWith("[") ? host.substring(1, host.length() - 1) : host)
                .setPort(p.endpoint().port())
                .setSsl(p.endpoint().tls())
                .setURI(p.path())
                .setTimeout(p.timeoutMs());
        client.request(options)
                .compose(req -> {
                    boolean defaultPort = p.endpoint().port() == (p.endpoint().tls() ? 443 : 80);
                    req.authority(HostAndPort.authority(host, defaultPort ? -1 : p.endpoint().port()));
                    return req.send();
                })
                .compose(resp -> resp.body().map(b -> resp.statusCode()))
                .onComplete(ar -> {
                    r.busy = false;
                    if (running.get(p.url()) != r) {
                        return; // rescheduled meanwhile; the new probe speaks for the host
                    }
                    HostState state = p.registry().state(p.url());
                    boolean ok = ar.succeeded() && ar.result() >= 200 && ar.result() < 400;
                    if (ok && state.markSuccess(p.healthyThreshold())) {
                        LOG.info(() -> "host " + p.url() + " is up (" + p.healthyThreshold() + " good checks)");
                    } else if (!ok && state.markFailure(p.unhealthyThreshold())) {
                        LOG.info(() -> "host " + p.url() + " is down (" + p.unhealthyThreshold() + " failed checks)");
                    }
                });
    }

    @Override
    public void success(Upstream upstream, Host host) {
        upstream.pools().registry().state(host.url()).markSuccess(upstream.healthyThreshold());
    }

    @Override
    public void failure(Upstream upstream, Host host) {
        HostState state = upstream.pools().registry().state(host.url());
        if (state.markFailure(upstream.unhealthyThreshold())) {
            LOG.info(() -> "host " + host.url() + " is down (" + upstream.unhealthyThreshold() + " failed requests)");
            if (!running.containsKey(host.url())) {
                cooldown(state);
            }
        }
    }

    /** Re-admits a passively downed host after the cool-down, unless active probes took it over. */
    private void cooldown(HostState state) {
        String url = state.url();
        cooling.computeIfAbsent(url, u -> vertx.setTimer(cooldownMs, id -> {
            cooling.remove(url);
            if (!running.containsKey(url) && !state.isUp() && state.markSuccess(1)) {
                LOG.info(() -> "host " + url + " re-admitted after a " + cooldownMs + " ms cool-down");
            }
        }));
    }
}
