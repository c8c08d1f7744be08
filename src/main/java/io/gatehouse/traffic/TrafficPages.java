package io.gatehouse.traffic;

import io.gatehouse.console.Chrome;
import io.gatehouse.console.Console;
import io.gatehouse.gateway.GatewayService;
import io.gatehouse.gateway.GatewayService.GatewayView;
import io.gatehouse.instance.ProxyInstance;
import io.gatehouse.instance.ProxyRuntime;
import io.gatehouse.proxy.StageSnapshot;
import io.gatehouse.stage.StageService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import java.util.List;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * A stage's live traffic in the console: the page, and the fragment htmx reloads every few seconds.
 * The numbers are this process's proxy only (its {@link TrafficWindow}); proxy-only instances are seen
 * in Prometheus. Viewers may look; another team's gateway is a 404, as on every console page.
 */
@Path("/gateways/{gw}/stages/{stage}/traffic")
@Produces(MediaType.TEXT_HTML)
public class TrafficPages {

    @CheckedTemplate(basePath = "traffic")
    static class Templates {
        static native TemplateInstance page(Chrome chrome, GatewayView gateway, String stage, TrafficView traffic,
                                            String instance, StageHealth.View health, List<TenantUsage.Row> tenants);

        static native TemplateInstance live(GatewayView gateway, String stage, TrafficView traffic,
                                            StageHealth.View health, List<TenantUsage.Row> tenants);
    }

    private final GatewayService gateways;
    private final StageService stages;
    private final Console console;
    private final ProxyRuntime runtime;
    private final TrafficRecorder recorder;
    private final StageHealth health;

    public TrafficPages(GatewayService gateways, StageService stages, Console console, ProxyRuntime runtime,
                        TrafficRecorder recorder, StageHealth health) {
        this.gateways = gateways;
        this.stages = stages;
        this.console = console;
        this.runtime = runtime;
        this.recorder = recorder;
        this.health = health;
    }

    @GET
    public TemplateInstance page(String gw, String stage) {
        GatewayView gateway = visible(gw, stage);
        ProxyInstance instance = runtime.instance();
        return Templates.page(console.chrome("Traffic · " + stage + " · " + gw, gateway.team()), gateway, stage,
                view(gw, stage), instance == null ? "" : instance.instanceId(), health.of(gw, stage), tenants(gw, stage));
    }

    @GET
    @Path("live")
    public TemplateInstance live(String gw, String stage) {
        return Templates.live(visible(gw, stage), stage, view(gw, stage), health.of(gw, stage), tenants(gw, stage));
    }

    /** The gateway, when the caller may see it and it has this stage (else the services' 404). */
    private GatewayView visible(String gw, String stage) {
        GatewayView gateway = gateways.get(gw);
        stages.get(gw, stage);
        return gateway;
    }

    private TrafficView view(String gw, String stage) {
        ProxyInstance instance = runtime.instance();
        StageSnapshot snapshot = instance == null ? null : instance.store().get(gw, stage);
        return TrafficView.of(snapshot, recorder.window().read(StageSnapshot.key(gw, stage)),
                System.currentTimeMillis(), instance == null ? java.util.Map.of() : instance.discovery().resolutions());
    }

    private List<TenantUsage.Row> tenants(String gw, String stage) {
        return recorder.tenantUsage().rows(StageSnapshot.key(gw, stage));
    }
}
