/**
 * Versions, releases, publishing, approval, and the release sync that every proxy instance runs.
 *
 * <p>Dependencies that go both ways, and why:
 * <ul>
 * <li>{@code release} → {@code proxy}, never the reverse: publishing, rollback and approval pass the proxy's own
 *     compiler ({@link io.gatehouse.release.CompileGate}), so the API and the data plane can never disagree about
 *     what can be served. The data plane knows nothing of how releases are stored: {@code io.gatehouse.instance}
 *     feeds it from {@link io.gatehouse.release.ReleaseSync}.</li>
 * <li>{@code release} ↔ {@code resource} and {@code release} ↔ {@code stage}: a release snapshots the resources
 *     and the stage's backend config; the resource and stage pages show which release serves them
 *     ({@code ResourcePages}, {@code StagePages} → {@link io.gatehouse.release.ReleaseService}). Splitting the
 *     pages from their features to break this would scatter each feature over two packages.</li>
 * </ul>
 */
package io.gatehouse.release;
