/**
 * Accounts, sign-in (local, OIDC, tokens), and {@link io.gatehouse.auth.Access}, the one authorization check.
 *
 * <p>Dependencies that go both ways, and why: {@code auth} ↔ {@code team}: a role is a team membership of a
 * user ({@code team.Membership} refers to {@link io.gatehouse.auth.AppUser}), and {@code Access} and OIDC
 * sign-in read memberships. {@code auth} ↔ {@code gateway}: {@code Access.gateway} finds a gateway only for
 * members of its team. {@code auth} ↔ {@code console}: the account pages use the console's layout, and the
 * layout shows who is signed in. {@code auth} ↔ {@code audit}: account changes are audited; the log is read
 * through {@code Access}.
 */
package io.gatehouse.auth;
