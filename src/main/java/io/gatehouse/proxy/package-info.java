/**
 * The data plane: a Vert.x server that proxies {@code /{gateway}/{stage}/{path}} to backend hosts,
 * reading only immutable {@link io.gatehouse.proxy.StageSnapshot}s compiled by
 * {@link io.gatehouse.proxy.RouteCompiler} and swapped in a {@link io.gatehouse.proxy.SnapshotStore}.
 * Plain Java and Vert.x: no CDI and no database here; the Quarkus side builds the snapshots and
 * hands this package its {@code Vertx}.
 */
package io.gatehouse.proxy;
