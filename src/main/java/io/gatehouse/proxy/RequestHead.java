package io.gatehouse.proxy;

import io.gatehouse.balance.Host;
import io.gatehouse.balance.PoolSet;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;

/** The header fields of the request a backend gets, written into the backend request's own map. */
final class RequestHead {

    private RequestHead() {
    }

    static void write(Exchange ex, PoolSet.Chosen host, MultiMap out) {
        Headers.toBackend(ex.req, ex.peer, ex.requestId, ex.prefix, out);
        TenantIdentity.forward(out, ex.up.tenantPolicy(), ex.tenant);
        if (ex.upgrade) {
            Headers.keepUpgrade(ex.req.headers(), out);
        }
        out.set(HttpHeaders.HOST, authority(ex, host.host()));
    }

    /** The Host header the backend gets (pass_host): the client's, the host's own, or a fixed one. */
    private static String authority(Exchange ex, Host member) {
        return switch (ex.up.passHost()) {
            case PASS -> clientAuthority(ex, member);
            case NODE -> member.endpoint().authority();
            case REWRITE -> ex.up.upstreamHost(); // validated at compile
        };
    }

    private static String clientAuthority(Exchange ex, Host member) {
        if (ex.req.version() != HttpVersion.HTTP_2) {
            String host = ex.req.headers().get(HttpHeaders.HOST); // what req.authority() parses, as sent
            if (host != null) {
                return host;
            }
        }
        HostAndPort authority = ex.req.authority();
        return authority != null ? authority.toString() : member.endpoint().authority();
    }
}
