package io.gatehouse.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real DNS server on 127.0.0.1 (UDP, a free port) for tests: answers A and AAAA queries for the names
 * it is given, with the TTL it is given, and NXDOMAIN otherwise; {@link #silence()} stops answering, so
 * resolvers time out as with a server that is down.
 */
public final class TestDnsServer implements AutoCloseable {

    private record Answer(List<String> addresses, long ttlSeconds) {
    }

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final Map<String, Answer> names = new ConcurrentHashMap<>();
    private final AtomicInteger queries = new AtomicInteger();
    private volatile boolean silent;
    private final Channel channel;
    /** When set, names and silence are also read from system properties under this prefix (see {@link #property}). */
    private final String shared;

    public TestDnsServer() throws InterruptedException {
        this(null);
    }

    /**
     * A server that also answers what system properties {@code prefix + name} say ({@code "ttl addr addr..."}) and
     * stays silent while {@code prefix + "silent"} is {@code true}: a channel the JDK shares between Quarkus's test
     * class loaders and the test resource that started the server.
     */
    public TestDnsServer(String prefix) throws InterruptedException {
        this.shared = prefix;
        channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<NioDatagramChannel>() {
                    @Override
                    protected void initChannel(NioDatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                new SimpleChannelInboundHandler<DatagramDnsQuery>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
                                        answer(ctx, query);
                                    }
                                });
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** {@code name} answers {@code addresses} (IPv4 or IPv6 literals) with {@code ttlSeconds}. */
    public void set(String name, long ttlSeconds, String... addresses) {
        names.put(name.toLowerCase(), new Answer(List.of(addresses), ttlSeconds));
        silent = false;
    }

    /** Stops answering at all (queries time out). */
    public void silence() {
        silent = true;
    }

    public int queries() {
        return queries.get();
    }

    private void answer(ChannelHandlerContext ctx, DatagramDnsQuery query) {
        queries.incrementAndGet();
        if (silent || shared != null && Boolean.getBoolean(shared + "silent")) {
            return;
        }
        DnsQuestion question = query.recordAt(DnsSection.QUESTION);
        DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
        response.addRecord(DnsSection.QUESTION, question);
        String name = question.name().endsWith(".") ? question.name().substring(0, question.name().length() - 1)
                : question.name();
        Answer answer = names.get(name.toLowerCase());
        String property = shared == null ? null : System.getProperty(shared + name.toLowerCase());
        if (answer == null && property != null) {
            String[] parts = property.trim().split("\\s+");
            answer = new Answer(List.of(parts).subList(1, parts.length), Long.parseLong(parts[0]));
        }
        if (answer == null) {
            response.setCode(DnsResponseCode.NXDOMAIN);
        } else {
            for (String a : answer.addresses()) {
                byte[] bytes;
                try {
                    bytes = InetAddress.getByName(a).getAddress();
                } catch (Exception e) {
                    throw new IllegalArgumentException(a, e);
                }
                DnsRecordType type = bytes.length == 4 ? DnsRecordType.A : DnsRecordType.AAAA;
                if (type.equals(question.type())) {
                    response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), type,
                            answer.ttlSeconds(), Unpooled.wrappedBuffer(bytes)));
                }
            }
        }
        ctx.writeAndFlush(response);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
}
