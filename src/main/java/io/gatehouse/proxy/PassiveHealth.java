package io.gatehouse.proxy;

import io.gatehouse.balance.Host;

/** Where the forwarder reports how each attempt went, for passive health marks. */
interface PassiveHealth {

    /** A response below 500 from {@code host}. */
    void success(Upstream upstream, Host host);

    /** A connect failure, a timeout, a broken connection or a 5xx from {@code host}. */
    void failure(Upstream upstream, Host host);
}
