package io.gatehouse.proxy;

import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.concurrent.Future;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Keeps the addresses of backend host names current: each watched name is resolved (A and AAAA) on
 * Netty's asynchronous DNS resolver, on one event loop, and resolved again when the shortest TTL of its
 * answer runs out, bounded to [{@value #MIN_TTL_S} s, {@value #MAX_TTL_S} s] so a TTL of 0 cannot spin
 * and a day-long one cannot pin a stale address (Envoy's STRICT_DNS re-resolves on the record TTL when
 * {@code respect_dns_ttl} is set; nginx's {@code resolve} parameter follows the TTL too). A failed
 * lookup keeps the last good set (APISIX issue 10422: an empty answer must never empty a pool) and is
 * retried every {@value #RETRY_S} s; it is logged once per failure streak and counted.
 *
 * <p>Nothing here blocks: the owner hears of a changed set through {@code onChange} (on the resolver's
 * event loop) and recompiles what uses the name.
 */
public final class DnsDiscovery implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DnsDiscovery.class);

    static final long MIN_TTL_S = 1;
    static final long MAX_TTL_S = 300;
    static final long RETRY_S = 5;

    /**
     * What a name resolves to now: sorted addresses, whether the last lookup failed, why, and when (epoch ms) the
     * addresses were last answered (0: never) and the last lookup failed (0: it did not).
     */
    public record Resolution(List<String> addresses, boolean stale, String error, long resolvedAtMillis,
                             long failedAtMillis) {
        public Resolution {
            addresses = List.copyOf(addresses);
        }
    }

    private final EventLoop loop;
    private final long retrySeconds;
    private final DnsNameResolver resolver;
    private final Consumer<String> onChange;
    private final Map<String, Resolution> resolved = new ConcurrentHashMap<>();
    /** Each watched name with the token of its one schedule (a name dropped and added again starts a new one). */
    private final Map<String, Object> watched = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param servers  DNS servers to ask ({@code host:port}); empty for the system's resolvers
     * @param onChange hears a name whose address set changed (not for a failed lookup that keeps the old one)
     */
    public DnsDiscovery(EventLoop loop, List<InetSocketAddress> servers, Consumer<String> onChange) {
        this(loop, servers, onChange, Duration.ofSeconds(2), RETRY_S);
    }

    /** With a shorter query timeout and retry, for the DNS tests: what they prove does not depend on their length. */
    DnsDiscovery(EventLoop loop, List<InetSocketAddress> servers, Consumer<String> onChange, Duration queryTimeout,
                 long retrySeconds) {
        this.loop = loop;
        this.retrySeconds = retrySeconds;
        this.onChange = onChange;
        DnsServerAddressStreamProvider provider = servers.isEmpty() ? DnsServerAddressStreamProviders.platformDefault()
                : new SequentialDnsServerAddressStreamProvider(servers.toArray(new InetSocketAddress[0]));
        this.resolver = new DnsNameResolverBuilder(loop)
                .channelType(NioDatagramChannel.class)
                .nameServerProvider(provider)
                .resolveCache(NoopDnsCache.INSTANCE) // the TTL schedule here is the cache
                .queryTimeoutMillis(queryTimeout.toMillis())
                .build();
    }

    /** Whether {@code host} is a name to resolve (not an IP literal). */
    public static boolean isName(String host) {
        return !(host.startsWith("[") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
    }

    /** The current resolution of {@code name}, or null before its first answer. */
    public Resolution resolution(String name) {
        return resolved.get(name);
    }

    public Map<String, Resolution> all() {
        return Map.copyOf(resolved);
    }

    /** Lookups that failed (and kept the previous set), for a metric. */
    public long failures() {
        return failures.get();
    }

    /**
     * Watches {@code names} too; names new to the set are resolved at once, and the returned future completes
     * when each of them has its first answer or failure (callers wait a bounded time).
     */
    public CompletableFuture<Void> add(Set<String> names) {
        List<CompletableFuture<Void>> firsts = new ArrayList<>();
        for (String name : names) {
            Object token = new Object();
            if (!closed && watched.putIfAbsent(name, token) == null) {
                CompletableFuture<Void> first = new CompletableFuture<>();
                firsts.add(first);
                loop.execute(() -> resolve(name, token, first));
            }
        }
        return CompletableFuture.allOf(firsts.toArray(new CompletableFuture[0]));
    }

    /** Stops watching every name not in {@code names}: its schedule ends and its resolution is forgotten. */
    public void retain(Set<String> names) {
        watched.keySet().retainAll(names);
        resolved.keySet().retainAll(names);
    }

    /** Watches exactly {@code names} from now on ({@link #retain}, then {@link #add}). */
    public CompletableFuture<Void> watch(Set<String> names) {
        retain(names);
        return add(names);
    }

    /** How many watched names are served from their last good set (or have none) because lookups fail. */
    public long staleNames() {
        return resolved.values().stream().filter(Resolution::stale).count();
    }

    private void resolve(String name, Object token, CompletableFuture<Void> first) {
        if (closed || watched.get(name) != token) {
            first.complete(null);
            return;
        }
        Future<List<DnsRecord>> a = resolver.resolveAll(new DefaultDnsQuestion(name, DnsRecordType.A));
        a.addListener(fa -> {
            Future<List<DnsRecord>> aaaa = resolver.resolveAll(new DefaultDnsQuestion(name, DnsRecordType.AAAA));
            aaaa.addListener(f6 -> {
                List<DnsRecord> records = new ArrayList<>();
                if (fa.isSuccess()) {
                    records.addAll(a.getNow());
                }
                if (f6.isSuccess()) {
                    records.addAll(aaaa.getNow());
                }
                try {
                    answered(name, token, records, fa.isSuccess() || f6.isSuccess() ? null : fa.cause());
                } finally {
                    records.forEach(io.netty.util.ReferenceCountUtil::release);
                    first.complete(null);
                }
            });
        });
    }

    private void answered(String name, Object token, List<DnsRecord> records, Throwable failure) {
        if (closed || watched.get(name) != token) {
            return; // no longer watched: never resurrect a forgotten name
        }
        Set<String> addresses = new TreeSet<>();
        long ttl = MAX_TTL_S;
        for (DnsRecord r : records) {
            if (r instanceof DnsRawRecord raw && (r.type() == DnsRecordType.A || r.type() == DnsRecordType.AAAA)) {
                byte[] bytes = new byte[raw.content().readableBytes()];
                raw.content().getBytes(raw.content().readerIndex(), bytes);
                try {
                    addresses.add(InetAddress.getByAddress(bytes).getHostAddress());
                    ttl = Math.min(ttl, r.timeToLive());
                } catch (UnknownHostException e) {
                    // a malformed record: ignored, as a resolver would
                }
            }
        }
        Resolution previous = resolved.get(name);
        long next;
        if (addresses.isEmpty()) {
            String why = failure == null ? "no A or AAAA records" : String.valueOf(failure.getMessage());
            if (previous == null || !previous.stale()) {
                LOG.warnf("DNS lookup of %s failed (%s); %s", name, why, previous == null
                        ? "it has no address, so its host gets no traffic until it resolves"
                        : "keeping its last addresses " + previous.addresses());
            }
            long now = System.currentTimeMillis();
            resolved.put(name, previous == null ? new Resolution(List.of(), true, why, 0, now)
                    : new Resolution(previous.addresses(), true, why, previous.resolvedAtMillis(), now));
            failures.incrementAndGet(); // after the put: whoever sees the count sees the stale resolution
            next = retrySeconds;
        } else {
            List<String> now = List.copyOf(addresses);
            resolved.put(name, new Resolution(now, false, null, System.currentTimeMillis(), 0));
            if (previous != null && previous.stale()) {
                LOG.infof("DNS lookup of %s answers again: %s", name, now);
            }
            if (previous == null || !previous.addresses().equals(now)) {
                onChange.accept(name);
            }
            next = Math.max(MIN_TTL_S, Math.min(MAX_TTL_S, ttl));
        }
        if (!closed) {
            loop.schedule(() -> resolve(name, token, new CompletableFuture<>()), next, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        closed = true;
        watched.clear();
        loop.execute(resolver::close);
    }
}
