package io.gatehouse.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.stage.StageService.StageBody;
import io.gatehouse.tenant.TenantService.TenantBody;

import java.util.Map;

/**
 * A whole gateway as a file, for keeping it in git: its stages with their backend configs and its
 * resources with their overrides, and its tenants (description and rate limit; API keys are credentials and
 * never in a file), all keyed by name. The gateway's own name is not in it, so one
 * file can be applied to several gateways (say, orders and orders-staging).
 */
@JsonPropertyOrder({"description", "tenants", "stages", "resources"})
public record GatewayDocument(String description,
                              @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, TenantBody> tenants,
                              Map<String, StageBody> stages, Map<String, ResourceSpec> resources) {
}
