/**
 * The console's shared parts: layout ({@link io.gatehouse.console.Chrome}), forms, error pages, the home page.
 * Each feature's pages live in the feature's package.
 *
 * <p>Dependencies that go both ways, and why: {@code console} ↔ {@code team} and {@code console} ↔ {@code auth}:
 * the layout on every page shows the signed-in user and their teams, and the team and account pages use that
 * layout.
 */
package io.gatehouse.console;
