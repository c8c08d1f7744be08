/**
 * The audit log: every configuration change, written in the transaction of the change, read per team and gateway.
 *
 * <p>Dependencies that go both ways, and why: {@code auth}, {@code gateway} and {@code team} write audit entries
 * ({@link io.gatehouse.audit.AuditLog}), and the log is read scoped by the caller's access ({@code auth.Access},
 * {@code team.Role}) and filtered per gateway ({@code gateway.Gateway}). An interface in between would only
 * rename the cycle.
 */
package io.gatehouse.audit;
