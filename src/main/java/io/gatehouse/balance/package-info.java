/**
 * Load balancing for the proxy: plain Java, no Quarkus, no I/O.
 *
 * <p>{@link io.gatehouse.balance.Balancer#create} builds one disposable balancer per pool and
 * {@link io.gatehouse.balance.PoolSet} chooses the pool for a tenant; the durable per-host facts
 * (in-flight, latency EWMA, passive health) live in a {@link io.gatehouse.balance.HostRegistry} per gateway
 * stage, keyed by host URL, so a publish never resets them and one gateway's traffic never moves another's
 * ({@link io.gatehouse.balance.HostRegistries}); active probe results are shared only between identical
 * probes ({@link io.gatehouse.balance.Probes}).
 */
package io.gatehouse.balance;
