package io.gatehouse.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HTTP/1.1 over a plain socket, for what a client library hides: keep-alive, idle and closed connections. */
final class RawHttp {
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length: *(\\d+)");

    private RawHttp() {
    }

    static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(10_000);
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        return s;
    }

    /** One GET on {@code s}; the answer's head and body as text (Content-Length bodies only), or "closed". */
    static String get(Socket s, String path) throws IOException {
        try {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: gw\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
        } catch (java.net.SocketException closed) {
            return "closed";
        }
        return read(s);
    }

    /** The next answer on {@code s}: head and body as text (Content-Length bodies only), or "closed". */
    static String read(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b;
            try {
                b = in.read();
            } catch (java.net.SocketException reset) {
                if (head.isEmpty()) {
                    return "closed"; // reset by the peer before any answer
                }
                throw reset;
            }
            if (b < 0) {
                return head.isEmpty() ? "closed" : head.toString();
            }
            head.append((char) b);
        }
        Matcher m = CONTENT_LENGTH.matcher(head);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        return head + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }

    /** Whether the other side closes {@code s} (end of stream) within the socket's read timeout. */
    static boolean closedByPeer(Socket s) throws IOException {
        try {
            return s.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }
}
