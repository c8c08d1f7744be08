/**
 * "Try it" (admin API and resource page): N requests through this process's own proxy to one resource of a
 * published stage, and which host answered each. A control-plane feature (CDI, JAX-RS, Panache) that uses the
 * data plane as a client does: it reads the live snapshot and sends real requests to the proxy port.
 */
package io.gatehouse.tryit;
