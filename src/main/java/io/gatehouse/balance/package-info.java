/**
 * Load balancing for the proxy: plain Java, no Quarkus, no I/O.
 *
 * <p>{@link io.gatehouse.balance.Balancer#create} builds one disposable balancer per pool and
 * {@link io.gatehouse.balance.PoolSet} chooses the pool for a tenant; the durable per-host facts
 * (in-flight, latency EWMA, health) live in one process-wide {@link io.gatehouse.balance.HostRegistry}
 * keyed by host URL, so a publish never resets them.
 */
package io.gatehouse.balance;
