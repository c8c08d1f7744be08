/**
 * Gateways: the aggregate every other feature hangs from, its API and pages, and config as code.
 *
 * <p>Dependencies that go both ways, and why: {@code resource}, {@code stage} and {@code tenant} entities belong
 * to a {@link io.gatehouse.gateway.Gateway} (a JPA relation, so they import it), while the gateway's own views
 * and config as code ({@code GatewayService}, {@code GatewayDocument}, {@code ConfigAsCodeService}) read and
 * write the whole aggregate through those features' services. {@code gateway} ↔ {@code auth}: the gateway services
 * check the caller through {@code Access}, which finds a gateway only for members of its team. {@code gateway} ↔
 * {@code audit}: gateway changes are audited, and the audit log is filtered per gateway.
 */
package io.gatehouse.gateway;
