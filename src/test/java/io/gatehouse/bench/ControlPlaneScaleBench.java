package io.gatehouse.bench;

import io.gatehouse.Fixtures;
import io.gatehouse.console.ConsoleSession;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import static io.gatehouse.Fixtures.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The control plane with a 10,000-resource gateway (docs/benchmarks.md, "Control plane at scale"): import
 * (new, unchanged, 10 % changed), export and re-import of what export wrote, API list pages and search,
 * and the console's resources and publishing pages. A benchmark, not a test: it asserts only that each call
 * succeeded, and prints wall times with the machine's load. Run alone:
 * <pre>./mvnw -B test -Dtest=ControlPlaneScaleBench -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@QuarkusTest
class ControlPlaneScaleBench {
    private static final int N = Integer.getInteger("bench.resources", 10_000);

    /** A gateway document as export writes it: 100 services of 100 resources, half GET and half ANY, a third prefix. */
    private static String document(int n, String variant) {
        StringBuilder y = new StringBuilder(n * 160);
        y.append("description: scale\nstages:\n  prod:\n    backend:\n      hosts:\n      - url: http://10.0.0.1:8000\n"
                + "        weight: 1\n  test:\n    backend:\n      hosts:\n      - url: http://10.0.0.2:8000\n        weight: 1\n"
                + "resources:\n");
        for (int i = 0; i < n; i++) {
            int svc = i / 100;
            int item = i % 100;
            y.append(String.format(Locale.ROOT, "  r%05d:%n    method: %s%n    path: /svc%d/items%d/{id}%n    match: %s%n"
                            + "    backend_path: /v%s/items%d/{id}%n    description: resource %d%n",
                    i, i % 2 == 0 ? "GET" : "ANY", svc, item, i % 3 == 0 ? "prefix" : "exact",
                    i % 10 == 0 ? variant : "1", item, i));
            if (i % 10 == 0) {
                y.append("    overrides:\n      prod:\n        hosts:\n        - url: http://10.1.").append(svc % 25)
                        .append(".1:8000\n          weight: 1\n");
            }
        }
        return y.toString();
    }

    private static double ms(Runnable r) {
        long t = System.nanoTime();
        long cpu0 = javaCpuNanos();
        long db0 = databaseCpuNanos();
        r.run();
        double wall = (System.nanoTime() - t) / 1e6;
        lastCpu = String.format(Locale.ROOT, "CPU %.0f ms Java + %.0f ms PostgreSQL", (javaCpuNanos() - cpu0) / 1e6,
                (databaseCpuNanos() - db0) / 1e6);
        return wall;
    }

    /** The CPU the last {@link #ms} call cost: what it would take on an idle core, whatever the machine's load. */
    private static String lastCpu = "";

    private static long javaCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * CPU of the test's embedded PostgreSQL: its postmaster (found by the port in the JDBC URL, since pg_ctl leaves it
     * orphaned rather than a child of this JVM) and its backends (the pool's connections live through the run).
     */
    private static long databaseCpuNanos() {
        String url = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.datasource.jdbc.url", String.class);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(":(\\d+)/").matcher(url);
        if (!m.find()) {
            return 0;
        }
        String port = m.group(1);
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("postgres") && c.contains(port)).orElse(false))
                .mapToLong(p -> cpu(p) + p.children().mapToLong(ControlPlaneScaleBench::cpu).sum())
                .sum();
    }

    private static long cpu(ProcessHandle p) {
        return p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    private static String median(int runs, Supplier<Double> one) {
        List<Double> times = new ArrayList<>();
        List<String> cpu = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            times.add(one.get());
            cpu.add(lastCpu);
        }
        String last = cpu.get(runs - 1);
        Collections.sort(times);
        return String.format(Locale.ROOT, "median %.0f ms, best %.0f ms (%d runs); last run %s", times.get(runs / 2),
                times.get(0), runs, last);
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "?";
        }
    }

    @Test
    void tenThousandResources() {
        String gw = Fixtures.gateway(Fixtures.team());
        String first = document(N, "1");
        String changed = document(N, "2");
        List<String> out = new ArrayList<>();
        out.add("resources: " + N + ", document " + first.getBytes(StandardCharsets.UTF_8).length + " bytes");
        out.add(String.format(Locale.ROOT, "import, new: %.0f ms, %s (load %s)", ms(() -> imp(gw, first)), lastCpu,
                load()));
        out.add(String.format(Locale.ROOT, "import, unchanged: %.0f ms, %s", ms(() -> imp(gw, first)), lastCpu));
        out.add(String.format(Locale.ROOT, "import, 10%% changed: %.0f ms, %s", ms(() -> imp(gw, changed)), lastCpu));
        String exported = admin().get("/api/v1/gateways/{g}/export?format=yaml", gw).then().statusCode(200)
                .extract().asString();
        out.add("export: " + exported.getBytes(StandardCharsets.UTF_8).length + " bytes (YAML)");
        String json = admin().get("/api/v1/gateways/{g}/export", gw).then().statusCode(200).extract().asString();
        out.add("export: " + json.getBytes(StandardCharsets.UTF_8).length + " bytes (JSON)");
        out.add(String.format(Locale.ROOT, "re-import of the JSON export: %.0f ms", ms(() ->
                admin().contentType("application/json").body(json.getBytes(StandardCharsets.UTF_8))
                        .put("/api/v1/gateways/{g}/import", gw).then().statusCode(200))) + ", " + lastCpu);
        admin().body(Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw).then().statusCode(201);

        out.add("API first page (100): " + median(11, () -> ms(() -> page(gw, ""))));
        out.add("API page after r09000: " + median(11, () -> ms(() -> page(gw, "&after=r09000"))));
        out.add("API search q=items42 (100 matches): " + median(11, () -> ms(() -> page(gw, "&q=items42"))));
        ConsoleSession console = ConsoleSession.login("admin", "admin-password-1");
        out.add("console resources page: " + median(11, () -> ms(() ->
                console.get("/gateways/{g}/resources", gw).then().statusCode(200))));
        out.add("console resources search: " + median(11, () -> ms(() ->
                console.get("/gateways/{g}/resources?q=svc7/", gw).then().statusCode(200))));
        out.add("console publishing page: " + median(11, () -> ms(() ->
                console.get("/gateways/{g}/publishing", gw).then().statusCode(200))));
        out.add("console overview page: " + median(11, () -> ms(() ->
                console.get("/gateways/{g}", gw).then().statusCode(200))));
        out.add(String.format(Locale.ROOT, "publish to prod: %.0f ms", ms(() -> admin().body(Map.of("version", 1))
                .post("/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(201))) + ", " + lastCpu);
        // After the publish: what prod serves is compared with the draft (remembered per release and draft revision).
        out.add("console publishing page, prod published: " + median(11, () -> ms(() ->
                console.get("/gateways/{g}/publishing", gw).then().statusCode(200))));
        out.add("console stage page (prod): " + median(11, () -> ms(() ->
                console.get("/gateways/{g}/stages/prod", gw).then().statusCode(200))));
        out.add("load after: " + load());
        System.out.println("\n=== ControlPlaneScaleBench\n" + String.join("\n", out) + "\n===");
    }

    private static void imp(String gw, String doc) {
        admin().contentType("application/yaml").body(doc.getBytes(StandardCharsets.UTF_8))
                .put("/api/v1/gateways/{g}/import", gw).then().statusCode(200);
    }

    private static void page(String gw, String query) {
        Response r = admin().get("/api/v1/gateways/{g}/resources?limit=100" + query, gw);
        assertEquals(200, r.statusCode());
    }
}
