package io.gatehouse.gateway;

/**
 * Fired inside every transaction that changes what a gateway would serve (its stages, resources, or the
 * gateway itself); observers that act on it do so after commit, so they never see a rolled-back change.
 */
public record GatewayChanged(String gateway) {
}
