package io.gatehouse.gateway;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.stage.StageService.StageBody;

import java.util.Map;

/**
 * A whole gateway as a file, for keeping it in git: its stages with their backend configs and its
 * resources with their overrides, all keyed by name. The gateway's own name is not in it, so one
 * file can be applied to several gateways (say, orders and orders-staging).
 */
@JsonPropertyOrder({"description", "stages", "resources"})
public record GatewayDocument(String description, Map<String, StageBody> stages, Map<String, ResourceSpec> resources) {
}
