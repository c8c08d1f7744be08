package io.gatehouse.common;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class HostUrlTest {

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.1:8000", "https://test.bking.com", "http://localhost", "http://[::1]:8080",
            "https://[2001:db8::1]", "http://a-b.example.org:65535", "HTTP://Example.COM:1", "http://host.example.",
            "http://[::ffff:10.0.0.1]:80"})
    void accepts(String url) {
        assertNull(HostUrl.problem(url), url);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "''|is required",
            "10.0.0.1:8000|must look like scheme://host[:port], e.g. http://10.0.0.1:8000",
            "ftp://files.example.com|scheme must be http or https",
            "http://user:pw@example.com|must not contain user info",
            "http://example.com?x=1|must not contain a query",
            "http://example.com#top|must not contain a fragment",
            "http://example.com/|must not contain a path (only scheme://host[:port])",
            "http://example.com/api|must not contain a path (only scheme://host[:port])",
            "http://example.com:0|port must be a number from 1 to 65535",
            "http://example.com:65536|port must be a number from 1 to 65535",
            "http://example.com:|port must be a number from 1 to 65535",
            "http://:80|host is missing",
            "http://999.1.1.1|host '999.1.1.1' is not a valid IPv4 address",
            "http://10.0.0|host '10.0.0' is not a valid IPv4 address",
            "http://-bad-.example.com|host '-bad-.example.com' is not a valid domain name or IP address",
            "http://under_score.example.com|host 'under_score.example.com' is not a valid domain name or IP address",
            "http://a..b|host 'a..b' is not a valid domain name or IP address",
            "http://[zz::1]|host '[zz::1]' is not a valid IPv6 address",
            "http://[1.2.3.4]|host '[1.2.3.4]' is not a valid IPv6 address",
    })
    void rejectsWithAReason(String url, String reason) {
        assertEquals(reason, HostUrl.problem(url));
    }

    @Test
    void canonicalFormHasLowerCaseAndAnExplicitPort() {
        assertEquals("http://example.com:80", HostUrl.parse("HTTP://Example.COM").canonical());
        assertEquals("https://example.com:443", HostUrl.parse("https://example.com").canonical());
        assertEquals("http://[::1]:8080", HostUrl.parse("http://[::1]:8080").canonical());
    }
}
