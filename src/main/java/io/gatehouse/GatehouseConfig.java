package io.gatehouse;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Every {@code gatehouse.*} setting, with its default. docs/configuration.md describes each. */
@ConfigMapping(prefix = "gatehouse")
public interface GatehouseConfig {

    /** {@code full} (console, admin API and proxy) or {@code proxy-only} (proxy and health endpoints). */
    @WithDefault("full")
    Mode mode();

    /** Where the embedded PostgreSQL keeps its cluster (read by GatehouseMain before Quarkus starts). */
    @WithDefault("./data")
    String dataDir();

    /** This instance's name in receipts and "live on N of M"; default host name plus a random suffix. */
    Optional<String> instanceId();

    Proxy proxy();

    Sync sync();

    Dns dns();

    /**
     * Database connections per instance by mode: {@code quarkus.datasource.jdbc.max-size} defaults to this
     * instance's mode's pool size, and the LISTEN connection comes on top (docs/operations.md has the budget).
     */
    DbPool dbPool();

    BootstrapAdmin bootstrapAdmin();

    Login login();

    enum Mode {
        FULL, PROXY_ONLY;

        public String wireName() {
            return this == FULL ? "full" : "proxy-only";
        }
    }

    interface Proxy {
        @WithDefault("0.0.0.0")
        String host();

        /** 0 picks a free port. */
        @WithDefault("8000")
        int port();

        /**
         * The proxy's address as clients reach it ({@code https://api.example.com}), shown in the console's
         * public URLs; when absent, the console request's host with the proxy's port, over http.
         */
        Optional<String> publicUrl();

        /** Server and client pairs, one per event loop; default the number of CPUs. */
        OptionalInt instances();

        @WithDefault("256")
        int maxConnectionsPerHost();

        @WithDefault("60")
        int keepAliveSeconds();

        /** How long a host taken out by passive marks stays out when it has no active health check. */
        @WithDefault("10s")
        Duration passiveCooldown();

        /**
         * On shutdown the proxy stops accepting at once and waits this long for requests in flight
         * before cutting them; keep it below the orchestrator's grace period (Kubernetes
         * terminationGracePeriodSeconds, compose stop_grace_period).
         */
        @WithDefault("30s")
        Duration shutdownTimeout();

        /** One line per proxied request on the log category {@code gatehouse.access}. */
        @WithDefault("text")
        AccessLogFormat accessLog();

        /**
         * Where the access log goes: a file appended to by a background writer (reopened when moved, for
         * logrotate), instead of the {@code gatehouse.access} log category on stdout.
         */
        Optional<String> accessLogFile();

        /** TLS to https backend hosts. */
        Tls tls();

        /**
         * Load balancers in front of the proxy (addresses or CIDR ranges) whose X-Forwarded-For is believed
         * when finding the client's address (consistent_hash on ip, the access log); none by default.
         */
        Optional<List<String>> trustedProxies();

        /**
         * A client connection with no request in flight for this long is closed: kept-alive connections
         * between requests and connections that never send a whole request head. 0 never closes one.
         */
        @WithDefault("75s")
        Duration clientIdleTimeout();

        /**
         * A client connection whose first request head is not complete this long after it opened is closed (408
         * when a head had begun); 0 never.
         */
        @WithDefault("30s")
        Duration requestHeadTimeout();

        /** A request body that sends nothing for this long while the proxy reads ends with 408; 0 never. */
        @WithDefault("60s")
        Duration clientBodyTimeout();

        /**
         * Client connections the proxy port keeps open at once; above it a new one is closed at once. Default: half
         * of the open-file limit left after the console port's cap, the database pool and a spare (DescriptorBudget).
         */
        OptionalInt maxConnections();
    }

    interface Tls {
        /**
         * A PEM file of CA certificates trusted on https backends (forwarding and health probes) in
         * addition to the JDK's; chain and host name are always verified.
         */
        Optional<String> caFile();
    }

    enum AccessLogFormat { TEXT, JSON, OFF }

    interface Sync {
        /** The poll that catches releases whose NOTIFY was missed; also the heartbeat period. */
        @WithDefault("2s")
        Duration pollInterval();

        /** LISTEN for publishes (the poll alone still applies them, one interval later). */
        @WithDefault("true")
        boolean listen();
    }

    interface Dns {
        /**
         * The DNS servers ({@code host:port}, comma-separated) that resolve backend host names; the system's resolvers
         * (/etc/resolv.conf) when unset. Names of the hosts file and IP literals are never asked about.
         */
        Optional<List<String>> servers();
    }

    interface DbPool {
        /** Console, admin API and proxy: admin requests hold a connection each while they run. */
        @WithDefault("10")
        int full();

        /** Proxy-only: the poll and heartbeat, the sync a NOTIFY wakes, and host-state writes. */
        @WithDefault("3")
        int proxyOnly();
    }

    /** Limits on failed password sign-ins (console form and HTTP Basic); see io.gatehouse.auth.LoginThrottle. */
    interface Login {
        /** Failures for one username from one address within the window that lock that pair. */
        @WithDefault("5")
        int maxFailures();

        /** Failures from one address over all usernames within the window that lock the address. */
        @WithDefault("30")
        int maxFailuresPerIp();

        @WithDefault("5m")
        Duration window();

        /** How long a lock lasts; a successful sign-in does not end it early. */
        @WithDefault("5m")
        Duration lockout();

        /** Most username+address pairs (and addresses) remembered; the least recently failed go first. */
        @WithDefault("10000")
        int maxTracked();

        /** bcrypt's cost (2^cost rounds) for passwords set from now on; each hash keeps the cost it was made with. */
        @WithDefault("10")
        int bcryptCost();
    }

    interface BootstrapAdmin {
        Optional<String> username();

        Optional<String> password();
    }
}
