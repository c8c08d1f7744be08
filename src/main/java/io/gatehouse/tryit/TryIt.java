package io.gatehouse.tryit;

import com.fasterxml.jackson.core.type.TypeReference;
import io.gatehouse.GatehouseConfig;
import io.gatehouse.auth.Access;
import io.gatehouse.common.ApiException;
import io.gatehouse.common.JsonColumns;
import io.gatehouse.common.NameRules;
import io.gatehouse.common.ValidationException;
import io.gatehouse.common.Violations;
import io.gatehouse.gateway.Gateway;
import io.gatehouse.instance.ProxyInstance;
import io.gatehouse.instance.ProxyRuntime;
import io.gatehouse.proxy.Route;
import io.gatehouse.proxy.StageSnapshot;
import io.gatehouse.proxy.TenantPolicy;
import io.gatehouse.proxy.Tenants;
import io.gatehouse.proxy.Upstream;
import io.gatehouse.proxy.UpstreamTrace;
import io.gatehouse.release.Release;
import io.gatehouse.resource.ApiResource;
import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.stage.Stage;
import io.gatehouse.team.Role;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.TemplateData;
import io.vertx.core.MultiMap;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * "Try it": N requests, one after another, through this process's own proxy on loopback to one resource
 * of a published stage, reporting which host answered each. It reproduces the load-balancing tutorials'
 * "send 100 requests and count the answers" in one call. The host comes from the proxy itself
 * ({@link UpstreamTrace}), so the backends need not say who they are. Sequential on purpose: the
 * sequence shown is the balancer's own. It sends real traffic to the stage's hosts, hence the
 * maintainer role. Not a config change, so not audited; logged instead.
 */
@ApplicationScoped
public class TryIt {
    private static final Logger LOG = Logger.getLogger(TryIt.class);
    public static final int MAX_COUNT = 1000;
    public static final int DEFAULT_COUNT = 100;
    /** The bound on one run, however slow the backends: what is left unsent then is reported. */
    static final Duration BUDGET = Duration.ofSeconds(30);
    /** How long to wait for this instance to apply a release published a moment ago. */
    private static final Duration APPLY_WAIT = Duration.ofSeconds(5);
    private static final TypeReference<Map<String, ResourceSpec>> RESOURCES = new TypeReference<>() {
    };

    /**
     * The request: how many, to which concrete path (optional without parameters), and who sends it, as the
     * stage's {@code tenant_from} wants it: a tenant name (header), an API key (api_key) or a bearer token (jwt).
     * The key and the token are used for these requests and never shown back, logged or stored.
     */
    public record TryRequest(Integer count, String tenant, String path, String apiKey, String token) {
        public TryRequest(Integer count, String tenant, String path) {
            this(count, tenant, path, null, null);
        }
    }

    /**
     * One host of the pool the requests went to (the tenant's when it has one), with its letter in the
     * sequence, configured weight and share, and what it got.
     */
    @TemplateData
    public record HostShare(String letter, String url, int weight, double configuredShare, int count, double share) {
    }

    /**
     * The outcome. {@code sequence} has one entry per request sent: the letter of the host that answered
     * (see {@code hosts}), or, when no host answered, the proxy's status ({@code "503"}), {@code "error"}
     * (no answer) or {@code "timeout"} (the run's time bound ran out). With failover tiers, {@code tierInUse} is the
     * priority that got the traffic and {@code failover} where it would go with the tiers above each one down.
     */
    @TemplateData
    public record TryResult(String gateway, String stage, String resource, int release, String method, String path,
                            String tenant, int count, int sent, boolean complete, long elapsedMs, List<HostShare> hosts,
                            Map<String, Integer> counts, Map<String, Integer> statuses, List<String> sequence,
                            Integer tierInUse, List<FailoverPlan.TierDown> failover, Identity identity) {
    }

    /**
     * Who the requests were, as the proxy sees it before anything is sent: where the tenant comes from, the
     * tenant (null: none), the pool it selects ({@code tenant pool acme} or {@code default hosts}), and when
     * there is no tenant, why ({@code refusal}: the code and detail of the proxy's 401 or 503, null otherwise).
     */
    @TemplateData
    public record Identity(String tenantFrom, String tenant, String pool, String refusal) {
    }

    /** What the database says may be tried: the stage's latest release and the resource in it. */
    private record Target(String gateway, String stage, String resource, int release, ResourceSpec spec,
                          String actor) {
    }

    private final Access access;
    private final JsonColumns json;
    private final ProxyRuntime runtime;
    private final GatehouseConfig config;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER).build();

    public TryIt(Access access, JsonColumns json, ProxyRuntime runtime, GatehouseConfig config) {
        this.access = access;
        this.json = json;
        this.runtime = runtime;
        this.config = config;
    }

    public TryResult run(String gw, String stageName, String resourceName, TryRequest body) {
        TryRequest in = body == null ? new TryRequest(null, null, null) : body;
        Target target = QuarkusTransaction.joiningExisting().call(() -> target(gw, stageName, resourceName, in));
        StageSnapshot snapshot = appliedSnapshot(target);
        Route route = snapshot.routes().get(target.resource());
        if (route == null) {
            throw ValidationException.of("resource", "resource '" + target.resource() + "' is in release "
                    + target.release() + " of stage '" + target.stage() + "' but could not be compiled: "
                    + snapshot.problems());
        }
        String method = target.spec().method().equals("ANY") ? "GET" : target.spec().method();
        String path = TryPath.concrete(in.path(), target.spec(), snapshot, method, route);
        MultiMap credentials = TryCredentials.of(in, route.upstream().tenantPolicy(), route.upstream().tenantHeader());
        Identity identity = identify(gw, route, credentials);
        int count = in.count() == null ? DEFAULT_COUNT : in.count();
        TryResult result = send(target, route, method, path, identity, credentials, count);
        // Never the key or the token: only what they selected.
        LOG.infof("try it by %s: %d of %d %s requests to /%s/%s%s (resource %s, release %d, tenant %s, %s): hosts %s, "
                        + "statuses %s", target.actor(), result.sent(), count, method, gw, stageName, path,
                target.resource(), target.release(), identity.tenant() == null ? "none" : identity.tenant(),
                identity.pool(), result.counts(), result.statuses());
        return result;
    }

    /** What this instance's identity step makes of the credentials (in memory: its key directory, its verifier). */
    private Identity identify(String gw, Route route, MultiMap credentials) {
        TenantPolicy policy = route.upstream().tenantPolicy();
        Tenants.Identified id;
        try {
            id = runtime.instance().tenants().identify(credentials, gw, policy).toCompletionStage()
                    .toCompletableFuture().get(APPLY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            id = new Tenants.Identified(null, "identity_unavailable", "the token's issuer did not answer in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        String source = policy.source().wireName();
        if (id.tenant() == null) {
            return new Identity(source, null, "default hosts", id.code() + ": " + id.detail());
        }
        boolean ownPool = route.upstream().pools().tenantPools().containsKey(id.tenant());
        return new Identity(source, id.tenant(), ownPool ? "tenant pool " + id.tenant() : "default hosts", null);
    }

    private Target target(String gw, String stageName, String resourceName, TryRequest in) {
        String actor = access.user().username;
        Gateway gateway = access.gateway(gw, Role.MAINTAINER);
        Stage stage = Stage.find(gateway, stageName).orElseThrow(() -> ApiException.notFound("stage", stageName));
        Violations bad = new Violations();
        if (in.count() != null && (in.count() < 1 || in.count() > MAX_COUNT)) {
            bad.add("count", "must be an integer from 1 to " + MAX_COUNT);
        }
        if (in.tenant() != null && !in.tenant().isBlank() && !NameRules.isTenantName(in.tenant())) {
            bad.add("tenant", io.gatehouse.common.NameRules.TENANT);
        }
        if (!bad.isEmpty()) {
            throw ValidationException.badRequest(bad.errors());
        }
        Release latest = Release.latest(stage).orElse(null);
        if (latest == null) {
            if (ApiResource.find(gateway, resourceName).isEmpty()) {
                throw ApiException.notFound("resource", resourceName);
            }
            throw ValidationException.of("stage", "stage '" + stageName
                    + "' is not published: publish a version to it before trying its resources");
        }
        ResourceSpec spec = json.read(latest.resources, RESOURCES).get(resourceName);
        if (spec == null) {
            if (ApiResource.find(gateway, resourceName).isEmpty()) {
                throw ApiException.notFound("resource", resourceName);
            }
            throw ValidationException.of("resource", "resource '" + resourceName + "' is not live on stage '"
                    + stageName + "': release " + latest.number + " does not contain it; publish a version that does");
        }
        return new Target(gateway.name, stage.name, resourceName, latest.number, spec.normalized(), actor);
    }

    /** This instance's snapshot of the stage once it serves the target's release (it may lag a publish by ms). */
    private StageSnapshot appliedSnapshot(Target target) {
        ProxyInstance instance = runtime.instance();
        long deadline = System.nanoTime() + APPLY_WAIT.toNanos();
        while (true) {
            StageSnapshot s = instance == null ? null : instance.store().get(target.gateway(), target.stage());
            if (s != null && s.release() == target.release()) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new ApiException(503, "not_applied", "Not applied yet", "this instance does not serve release "
                        + target.release() + " of stage '" + target.stage() + "' yet; try again in a moment");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private TryResult send(Target target, Route route, String method, String path, Identity identity,
                           MultiMap credentials, int count) {
        Upstream up = route.upstream();
        String tenant = identity.tenant();
        HostLegend legend = new HostLegend(up.pools().poolOf(tenant));
        URI uri = URI.create("http://" + loopback() + ":" + runtime.instance().port() + "/" + target.gateway() + "/"
                + target.stage() + path);
        Map<String, Integer> statuses = new TreeMap<>();
        List<String> sequence = new ArrayList<>(count);
        long start = System.nanoTime();
        long deadline = start + BUDGET.toNanos();
        boolean complete = true;
        for (int i = 0; i < count; i++) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                complete = false;
                break;
            }
            HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofNanos(left))
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .header(UpstreamTrace.REQUEST_HEADER, UpstreamTrace.secret());
            credentials.forEach(req::header);
            try {
                HttpResponse<Void> resp = http.send(req.build(), HttpResponse.BodyHandlers.discarding());
                String status = String.valueOf(resp.statusCode());
                statuses.merge(status, 1, Integer::sum);
                String host = resp.headers().firstValue(UpstreamTrace.RESPONSE_HEADER).orElse(null);
                sequence.add(host == null ? status : legend.answered(host));
            } catch (HttpTimeoutException e) {
                statuses.merge("timeout", 1, Integer::sum);
                sequence.add("timeout");
                complete = false;
                break;
            } catch (IOException e) {
                statuses.merge("error", 1, Integer::sum);
                sequence.add("error");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                complete = false;
                break;
            }
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        List<FailoverPlan.TierDown> failover = FailoverPlan.of(up.pools().poolOf(tenant));
        return new TryResult(target.gateway(), target.stage(), target.resource(), target.release(), method, path,
                tenant, count, sequence.size(), complete, elapsedMs, legend.shares(sequence.size()), legend.counts(),
                statuses, sequence, failover.isEmpty() ? null : up.pools().poolOf(tenant).priorityInUse(), failover,
                identity);
    }

    /** Where to reach this process's proxy: its bind address, or loopback when it listens on every interface. */
    private String loopback() {
        String host = config.proxy().host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.isBlank()) {
            return "127.0.0.1";
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
