package io.gatehouse.stage;

import io.gatehouse.common.PassHost;
import io.gatehouse.common.TenantSource;
import io.gatehouse.balance.BalancerType;
import io.gatehouse.balance.HashKey;
import io.gatehouse.balance.TenantFallback;
import io.gatehouse.console.FormErrors;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The backend config's vocabulary is written once: each option's enum owns its wire names, each part its
 * defaults, and "round_robin ignores weights" is BalancerType's alone (the editor, Try it, the Gateway API export
 * and console.js ask it).
 */
class VocabularyTest {

    @Test
    void eachOptionEnumReadsBackTheNamesItWrites() {
        for (BalancerType t : BalancerType.values()) {
            assertEquals(t, BalancerType.find(t.wireName()));
        }
        for (PassHost p : PassHost.values()) {
            assertEquals(p, PassHost.of(p.wireName()));
        }
        for (TenantSource s : TenantSource.values()) {
            assertEquals(s, TenantSource.of(s.wireName()));
        }
        assertEquals(List.of("round_robin", "weighted_round_robin", "least_conn", "consistent_hash",
                "least_response_time", "random"), BalancerType.wireNames());
        assertEquals(List.of("header", "api_key", "jwt"), TenantSource.wireNames());
        assertEquals(List.of("pass", "node", "rewrite"), PassHost.wireNames());
        assertEquals(List.of("default", "reject"), UnknownTenant.wireNames());
        assertEquals(List.of("reject", "keep"), EncodedSlashes.wireNames());
        assertEquals(List.of("fail", "default"), TenantFallback.wireNames());
        assertEquals(List.of("header", "cookie", "path", "ip"), HashKey.On.wireNames());
        assertNull(PassHost.of("PASS"));
        assertNull(BalancerType.find("roundrobin"));
    }

    @Test
    void omittedFieldsTakeEachPartsOwnDefaults() {
        BackendConfig c = new BackendConfig(null, List.of(new BackendHost("http://a:80", null)), null, null, null,
                new HashSpec("ip", null, null), null, null, null, null, new HealthCheck(null, null, null, null, null),
                null, null, null, null, null, null, null, null, null).normalized();
        assertEquals(HealthCheck.DEFAULT, c.healthCheck());
        assertEquals(3, HealthCheck.DEFAULT.unhealthyThreshold());
        assertEquals(HashKey.DEFAULT_REPLICAS, c.hash().replicas());
        assertEquals(150, HashKey.DEFAULT_REPLICAS);
        assertEquals(Timeouts.DEFAULT, c.timeouts());
        assertEquals(BalancerType.DEFAULT.wireName(), c.type());
        assertEquals(BackendHost.DEFAULT_WEIGHT, c.hosts().get(0).weight());
    }

    @Test
    void roundRobinAloneGivesEqualShares() {
        for (BalancerType t : BalancerType.values()) {
            assertEquals(t != BalancerType.ROUND_ROBIN, t.weighted(), t.wireName());
            assertEquals(t.weighted() ? 0.75 : 0.5, t.share(3, 4, 2), 1e-9, t.wireName());
        }
    }

    @Test
    void theEditorAndConsoleJsTakeEqualSharesFromBalancerType() throws Exception {
        BackendEditor editor = new BackendEditor("backend", BackendForm.blank(), FormErrors.NONE, false);
        assertEquals("round_robin", editor.equalShareTypes());
        String js = Files.readString(Path.of("src/main/resources/META-INF/resources/console/console.js"));
        for (String type : BalancerType.wireNames()) {
            assertFalse(js.contains("\"" + type + "\""), "console.js names " + type + "; it must read data-equal-shares");
        }
        String template = Files.readString(Path.of("ui-templates/tags/backendEditor.html"));
        assertEquals(true, template.contains("data-equal-shares=\"{ed.equalShareTypes}\""));
    }

    @Test
    void editorSharesFollowTheType() {
        BackendConfig rr = new BackendConfig("round_robin", List.of(new BackendHost("http://a:80", 3),
                new BackendHost("http://b:80", 1)), null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null);
        BackendEditor equal = new BackendEditor("backend", BackendForm.of(rr), FormErrors.NONE, false);
        assertEquals(List.of("50.0%", "50.0%"), equal.hosts().stream().map(BackendEditor.HostInput::share).toList());
        BackendConfig wrr = new BackendConfig("weighted_round_robin", rr.hosts(), null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null);
        BackendEditor weighted = new BackendEditor("backend", BackendForm.of(wrr), FormErrors.NONE, false);
        assertEquals(List.of("75.0%", "25.0%"), weighted.hosts().stream().map(BackendEditor.HostInput::share).toList());
    }
}
