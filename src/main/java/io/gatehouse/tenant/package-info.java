/**
 * Tenants of a gateway, their API keys and rate limits, and the tenant sync every proxy instance runs.
 *
 * <p>Dependencies that go both ways, and why: {@code tenant} ↔ {@code stage} and {@code tenant} ↔
 * {@code resource}: tenant pools and a resource's tenant rules may name only declared tenants (the stage and
 * resource services ask {@code tenant}), and a tenant that a stage or resource still routes cannot be deleted
 * ({@link io.gatehouse.tenant.TenantReferences} reads them). {@code tenant} ↔ {@code gateway}: see
 * {@code io.gatehouse.gateway}. {@code tenant} ↔ {@code proxy}: the proxy resolves tenants from the
 * {@link io.gatehouse.tenant.TenantDirectory} this package loads, and the Tenants page reads this instance's
 * per-tenant usage under the proxy's own stage key ({@code StageSnapshot.key}) rather than spelling it again.
 */
package io.gatehouse.tenant;
