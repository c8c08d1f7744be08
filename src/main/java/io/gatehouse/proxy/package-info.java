/**
 * The data plane: a Vert.x server that proxies {@code /{gateway}/{stage}/{path}} to backend hosts,
 * reading only immutable {@link io.gatehouse.proxy.StageSnapshot}s compiled by
 * {@link io.gatehouse.proxy.RouteCompiler} and swapped in a {@link io.gatehouse.proxy.SnapshotStore}.
 * Plain Java on Vert.x and Netty: no CDI, no JAX-RS, no database. It imports the configuration it compiles
 * ({@code stage.BackendConfig}, {@code resource.ResourceSpec}), {@code balance}, and the tenant directory it is
 * handed; never a control-plane service. {@code io.gatehouse.instance} wires an instance to the database and
 * {@code io.gatehouse.tryit} uses it as a client; {@code release} depends on its compiler, never the reverse.
 */
package io.gatehouse.proxy;
