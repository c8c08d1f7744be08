package io.gatehouse.proxy.bench;

import io.gatehouse.stage.BackendHost;
import io.gatehouse.balance.HostRegistry;
import io.gatehouse.proxy.HealthChecker;
import io.gatehouse.proxy.ProxyOptions;
import io.gatehouse.proxy.ProxyServer;
import io.gatehouse.proxy.RouteCompiler;
import io.gatehouse.proxy.SnapshotStore;
import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.stage.BackendConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Gatehouse's proxy alone, for {@code bench/proxy-vs-nginx.sh}: no Quarkus, no database; one stage
 * {@code /bench/prod} with one prefix resource over a weighted round-robin pool built in memory.
 *
 * <pre>java ... ProxyBenchMain PORT INSTANCES URL=WEIGHT [URL=WEIGHT ...]</pre>
 */
public final class ProxyBenchMain {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int instances = Integer.parseInt(args[1]);
        List<BackendHost> hosts = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            String[] uw = args[i].split("=");
            hosts.add(new BackendHost(uw[0], Integer.parseInt(uw[1])));
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(instances));
        int bound = start(vertx, port, instances, hosts).port();
        System.out.println("gatehouse proxy ready on 127.0.0.1:" + bound + " with " + instances + " instances");
        Thread.currentThread().join();
    }

    /** The proxy on 127.0.0.1:{@code port} (0: any) serving {@code /bench/prod/*} from {@code hosts}, weighted round robin. */
    public static ProxyServer start(Vertx vertx, int port, int instances, List<BackendHost> hosts)
            throws Exception {
        SnapshotStore store = new SnapshotStore();
        HealthChecker health = new HealthChecker(vertx, Duration.ofSeconds(10));
        health.start(store);
        BackendConfig config = new BackendConfig("weighted_round_robin", hosts, null, null, null, null, null, 1, null,
                null, null, null, null, null, null, null, null, null, null, null);
        store.apply(RouteCompiler.compile("bench", "prod", config,
                Map.of("all", new ResourceSpec("ANY", "/", "prefix", null, null, null)), new HostRegistry()));
        store.markLoaded();
        ProxyServer proxy = new ProxyServer(vertx, store,
                ProxyOptions.defaults().withHost("127.0.0.1").withPort(port).withInstances(instances));
        proxy.start().toCompletionStage().toCompletableFuture().get();
        return proxy;
    }
}
