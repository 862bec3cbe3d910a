package dev.herald.bench.bus;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A bare RESP connection, no client library: replies decoded only as far as the caller needs (measuring must not go through Redisson). */
final class Resp implements AutoCloseable {
    private final Socket socket;
    final OutputStream out;
    private final InputStream in;

    Resp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    }

    static byte[] encode(String... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[][] bs = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bs[i] = bytes(args[i]);
        }
        try {
            write(b, bs, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    private static void write(OutputStream o, byte[][] head, List<byte[]> tail) throws IOException {
        o.write(bytes("*" + (head.length + tail.size()) + "\r\n"));
        for (byte[] a : head) {
            bulk(o, a);
        }
        for (byte[] a : tail) {
            bulk(o, a);
        }
    }

    private static void bulk(OutputStream o, byte[] a) throws IOException {
        o.write(bytes("$" + a.length + "\r\n"));
        o.write(a);
        o.write('\r');
        o.write('\n');
    }

    void command(byte[][] head, List<byte[]> tail) throws IOException {
        write(out, head, tail);
        out.flush();
    }

    /** A round trip for setup and checks: replies decoded to String, Long, List or null. */
    Object call(String... args) throws IOException {
        out.write(encode(args));
        out.flush();
        return reply();
    }

    /** XREADGROUP's reply: [[key, [[id, [field, value, …]], …]]], or null on a BLOCK timeout. */
    void readEntryIds(List<byte[]> ids) throws IOException {
        long streams = header('*');
        for (long s = 0; s < streams; s++) {
            expect('*', 2);
            skip();
            long entries = header('*');
            for (long e = 0; e < entries; e++) {
                expect('*', 2);
                long len = header('$');
                ids.add(in.readNBytes((int) len));
                in.skipNBytes(2);
                skip();
            }
        }
    }

    /** Consumes one reply of any shape without decoding it; an error reply still throws. */
    void skip() throws IOException {
        int t = type();
        if (t == '+') {
            line();
            return;
        }
        long v = number();
        if (t == '$' && v >= 0) {
            in.skipNBytes(v + 2);
        } else if (t == '*') {
            for (long i = 0; i < v; i++) {
                skip();
            }
        }
    }

    private Object reply() throws IOException {
        int t = type();
        if (t == '+') {
            return line();
        }
        long v = number();
        if (t == ':') {
            return v;
        }
        if (v < 0) {
            return null;
        }
        if (t == '$') {
            byte[] b = in.readNBytes((int) v);
            in.skipNBytes(2);
            return new String(b, StandardCharsets.UTF_8);
        }
        List<Object> items = new ArrayList<>();
        for (long i = 0; i < v; i++) {
            items.add(reply());
        }
        return items;
    }

    // a null ($-1 / *-1) reads as 0 elements, which is what every caller of header wants
    long header(char want) throws IOException {
        int t = type();
        if (t != want) {
            throw new IllegalStateException("expected '" + want + "' reply, got '" + (char) t + "'");
        }
        return Math.max(0, number());
    }

    private void expect(char want, long n) throws IOException {
        long got = header(want);
        if (got != n) {
            throw new IllegalStateException("expected " + want + n + ", got " + want + got);
        }
    }

    private int type() throws IOException {
        int t = in.read();
        if (t == '-') {
            throw new IllegalStateException(line());
        }
        if (t != '+' && t != ':' && t != '$' && t != '*') {
            throw new IllegalStateException(t < 0 ? "connection closed" : "unexpected reply type '" + (char) t + "'");
        }
        return t;
    }

    private long number() throws IOException {
        long v = 0;
        boolean negative = false;
        for (int c = in.read(); c != '\r'; c = in.read()) {
            if (c == '-') {
                negative = true;
            } else if (c >= '0' && c <= '9') {
                v = v * 10 + (c - '0');
            } else {
                throw new IllegalStateException("bad length or integer in reply");
            }
        }
        in.read();
        return negative ? -v : v;
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\r' && c >= 0; c = in.read()) {
            b.append((char) c);
        }
        in.read();
        return b.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do: the benchmark is over for this socket
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
