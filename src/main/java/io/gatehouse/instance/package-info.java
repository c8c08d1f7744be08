/**
 * One serving instance: the data plane of {@code io.gatehouse.proxy} wired to the database. {@link
 * io.gatehouse.instance.ProxyInstance} feeds the proxy's snapshot store from the release sync (boot load, LISTEN,
 * poll, heartbeat), the tenant sync and the host-health writer; {@link io.gatehouse.instance.ProxyRuntime} is the
 * application's one instance (CDI, readiness). Here, not in {@code proxy}, so that the data plane imports no
 * control-plane package: {@code proxy} never imports {@code release}, {@code tenant}'s sync or JDBC.
 */
package io.gatehouse.instance;
