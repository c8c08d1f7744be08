import com.sun.net.httpserver.HttpServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A backend for the getting-started guide, with nothing but a JDK:
 * {@code java docs/examples/EchoBackend.java 9001 blue} answers every request on 127.0.0.1:9001 with
 * one line, "blue GET /the/path?query", so you can see which backend served a request and what path
 * the gateway sent it; followed by " tenant=acme" when the request carries X-Tenant-Id.
 */
public class EchoBackend {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String name = args[1];
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", exchange -> {
            String tenant = exchange.getRequestHeaders().getFirst("X-Tenant-Id");
            byte[] body = (name + " " + exchange.getRequestMethod() + " " + exchange.getRequestURI()
                    + (tenant == null ? "" : " tenant=" + tenant) + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        System.out.println(name + " listening on 127.0.0.1:" + port);
    }
}
