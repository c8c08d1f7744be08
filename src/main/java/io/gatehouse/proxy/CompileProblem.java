package io.gatehouse.proxy;

/**
 * Something {@link RouteCompiler} could not compile, and therefore leaves out.
 *
 * @param field   where in the release it is, as a field path of the release's JSON (the admin API's field
 *                names): {@code resources.get_user.path}, {@code resources.get_user.overrides.prod.hosts[0].url},
 *                {@code backend.upstream_host}
 * @param message the problem as the proxy logs it, naming the resource or stage and the field:
 *                {@code resource get_user: path must start with /}
 */
public record CompileProblem(String field, String message) {
}
