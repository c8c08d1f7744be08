package io.gatehouse.balance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Small builders shared by the balance tests. */
final class Fixtures {

    private Fixtures() {
    }

    /** Hosts named a, b, c, ... (then h26, h27, ...) with the given weights. */
    static List<Host> hosts(int... weights) {
        List<Host> hosts = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            hosts.add(new Host("http://" + name(i) + ":8080", weights[i]));
        }
        return hosts;
    }

    static String name(int i) {
        return i < 26 ? String.valueOf((char) ('a' + i)) : "h" + i;
    }

    /** The short name of a host built by {@link #hosts}: {@code http://a:8080} is {@code a}. */
    static String name(Host host) {
        if (host == null) {
            return "-";
        }
        String u = host.url();
        return u.substring("http://".length(), u.lastIndexOf(':'));
    }

    static String sequence(Balancer b, int picks) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < picks; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(name(b.pick(RequestAttributes.NONE)));
        }
        return sb.toString();
    }

    static void markDown(HostRegistry registry, Host host) {
        registry.state(host.url()).markFailure(1);
    }

    static void markUp(HostRegistry registry, Host host) {
        registry.state(host.url()).markSuccess(1);
    }

    /** A settable nanosecond clock. */
    static final class Clock extends AtomicLong {
        void advanceMillis(long ms) {
            addAndGet(ms * 1_000_000L);
        }
    }

    /** A request with the given attributes (all optional). */
    static final class Request implements RequestAttributes {
        final Map<String, String> headers = new HashMap<>();
        final Map<String, String> cookies = new HashMap<>();
        String path;
        String ip;

        static Request ip(String ip) {
            Request r = new Request();
            r.ip = ip;
            return r;
        }

        Request header(String name, String value) {
            headers.put(name.toLowerCase(), value);
            return this;
        }

        Request cookie(String name, String value) {
            cookies.put(name, value);
            return this;
        }

        Request path(String p) {
            this.path = p;
            return this;
        }

        @Override
        public String header(String name) {
            return headers.get(name.toLowerCase());
        }

        @Override
        public String cookie(String name) {
            return cookies.get(name);
        }

        @Override
        public String path() {
            return path;
        }

        @Override
        public String clientIp() {
            return ip;
        }
    }
}
