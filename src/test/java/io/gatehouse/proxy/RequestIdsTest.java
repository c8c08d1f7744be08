package io.gatehouse.proxy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The request id's text, and what a finished request keeps for its observers (the access log's fields). */
class RequestIdsTest {

    @Test
    void aNewIdIsBothLongsInLowerCaseHexWithLeadingZeros() {
        assertEquals("0123456789abcdefffffffffffffffff", RequestIds.hex32(0x0123456789abcdefL, -1L));
        assertEquals("00000000000000000000000000000001", RequestIds.hex32(0, 1));
    }

    @Test
    void aFinishedRequestStillTellsItsMethodPathAndClient() {
        ProxiedRequest r = SampleRequests.ok("http://127.0.0.1:1");
        assertEquals("GET", r.method());
        assertEquals("/shop/prod/items/42", r.path());
        assertEquals("127.0.0.1", r.clientIp()); // no client set: the peer, read at the end
        assertEquals(200, r.status());
        assertNull(r.peer());
    }
}
