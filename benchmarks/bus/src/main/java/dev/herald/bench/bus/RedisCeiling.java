package dev.herald.bench.bus;

import dev.herald.broker.EmbeddedRedis;

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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The Redis-bound ceiling of the bus benchmark: Herald's fan-out command pattern (XADD to one
 * topic stream; per service one consumer group whose single consumer loops XREADGROUP, then one
 * XACK per batch) driven over raw RESP with no client library, so Herald's throughput can be
 * read as a share of what this redis-server allows on this machine.
 */
final class RedisCeiling {

    static final String KEY = "ceiling:evt:{order.created}";
    private static final int PIPELINE = 1000;
    // a group that gets nothing for this many 1 s BLOCK timeouts is stuck: fail rather than hang
    private static final int MAX_IDLE_READS = 10;

    record Figures(long events, double wallMs, double eventsPerSec, double redisCpuSeconds,
                   double redisCpuMicrosPerEvent, double commandsPerEvent) {
    }

    /** Optional arguments: n, services, count. */
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int services = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            for (int rep = 0; rep < 3; rep++) {
                Figures f = run(redis.port(), samplePayload(), n, services, count);
                System.out.printf(Locale.ROOT, "redis ceiling (raw RESP, XADD + XREADGROUP + XACK, %d groups): %,.0f events/s, "
                        + "redis-server %.1f us/event, %.2f commands/event%n", services, f.eventsPerSec(), f.redisCpuMicrosPerEvent(), f.commandsPerEvent());
            }
        }
    }

    static Figures run(int port, String payload, int n, int services, int count) {
        List<Resp> consumers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(services);
        try (Resp producer = new Resp(port); RedisInfo admin = new RedisInfo(port)) {
            producer.call("DEL", KEY);
            for (int i = 0; i < services; i++) {
                producer.call("XGROUP", "CREATE", KEY, group(i), "$", "MKSTREAM");
            }
            // every XADD is byte-identical, so encode it once: the cheapest producer there is
            byte[] xadd = Resp.encode("XADD", KEY, "*", "e", payload);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Long>> finished = new ArrayList<>();
            for (int i = 0; i < services; i++) {
                Resp c = new Resp(port);
                consumers.add(c);
                String g = group(i);
                finished.add(pool.submit(() -> consume(c, g, n, count, go)));
            }
            double cpu0 = cpuSeconds(admin);
            long calls0 = calls(admin);
            long t0 = System.nanoTime();
            go.countDown();
            for (int sent = 0; sent < n; sent += PIPELINE) {
                int batch = Math.min(PIPELINE, n - sent);
                for (int i = 0; i < batch; i++) {
                    producer.out.write(xadd);
                }
                producer.out.flush();
                for (int i = 0; i < batch; i++) {
                    producer.skip();
                }
            }
            long last = t0;
            for (Future<Long> f : finished) {
                last = Math.max(last, await(f));
            }
            double wallMs = (last - t0) / 1e6;
            double cpu = cpuSeconds(admin) - cpu0;
            long calls = calls(admin) - calls0;
            verifyNothingPending(producer, services);
            producer.call("DEL", KEY);
            return new Figures(n, wallMs, n / (wallMs / 1000), cpu, cpu * 1e6 / n, (double) calls / n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            pool.shutdownNow();
            consumers.forEach(Resp::close);
        }
    }

    /** One service: returns {@link System#nanoTime()} at its last XACK reply. */
    private static long consume(Resp c, String group, int n, int count, CountDownLatch go) throws Exception {
        byte[] read = Resp.encode("XREADGROUP", "GROUP", group, "c1", "COUNT", Integer.toString(count), "BLOCK", "1000", "STREAMS", KEY, ">");
        byte[][] ack = {bytes("XACK"), bytes(KEY), bytes(group)};
        List<byte[]> ids = new ArrayList<>(count);
        long acked = 0;
        int idle = 0;
        go.await();
        while (acked < n) {
            c.out.write(read);
            c.out.flush();
            ids.clear();
            c.readEntryIds(ids);
            if (ids.isEmpty()) {
                if (++idle == MAX_IDLE_READS) {
                    throw new IllegalStateException(group + " stalled after " + acked + " of " + n + " entries");
                }
                continue;
            }
            idle = 0;
            c.command(ack, ids);
            long k = c.header(':');
            if (k != ids.size()) {
                throw new IllegalStateException(group + ": XACK acknowledged " + k + " of " + ids.size());
            }
            acked += k;
        }
        return System.nanoTime();
    }

    private static void verifyNothingPending(Resp r, int services) throws IOException {
        List<?> groups = (List<?>) r.call("XINFO", "GROUPS", KEY);
        if (groups.size() != services) {
            throw new IllegalStateException(groups.size() + " groups on " + KEY + ", expected " + services);
        }
        for (Object g : groups) {
            List<?> kv = (List<?>) g; // name, <name>, consumers, <n>, pending, <n>, last-delivered-id, <id>
            Object pending = kv.get(kv.indexOf("pending") + 1);
            if (!Long.valueOf(0).equals(pending)) {
                throw new IllegalStateException("group " + kv.get(1) + " still has " + pending + " entries pending");
            }
        }
    }

    private static long await(Future<Long> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw c instanceof IOException io ? new UncheckedIOException(io) : new IllegalStateException(c);
        }
    }

    private static double cpuSeconds(RedisInfo admin) throws IOException {
        return Double.parseDouble(admin.field("cpu", "used_cpu_user")) + Double.parseDouble(admin.field("cpu", "used_cpu_sys"));
    }

    // our own INFO calls are measurement, not workload
    private static long calls(RedisInfo admin) throws IOException {
        return admin.commandCalls().entrySet().stream().filter(e -> !e.getKey().equals("info")).mapToLong(Map.Entry::getValue).sum();
    }

    static String group(int i) {
        return "svc-" + (i < 26 ? String.valueOf((char) ('a' + i)) : Integer.toString(i));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Shaped like Herald's CloudEvents envelope for the benchmark's order event (about 550 bytes). */
    static String samplePayload() {
        return "{\"specversion\":\"1.0\",\"id\":\"01J9ZK3V6T8Q2W4E5R7Y9U1I3O\",\"source\":\"herald:service/producer\","
                + "\"type\":\"order.created\",\"dataschema\":\"herald:order.created/v1\",\"time\":\"2024-10-12T09:41:27.123456Z\","
                + "\"datacontenttype\":\"application/json\",\"traceparent\":\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\","
                + "\"data\":{\"orderId\":\"ord_112345\",\"customerId\":\"cus_45055\",\"currency\":\"EUR\",\"total\":129.9,"
                + "\"items\":[{\"sku\":\"SKU-12345\",\"qty\":2,\"price\":39.95},{\"sku\":\"SKU-67890\",\"qty\":1,\"price\":50.0}],"
                + "\"shipTo\":\"DE-10115\",\"seq\":12345,\"sentAtNanos\":183746529384756}}";
    }

    /** One connection; replies are decoded only as far as the caller needs. */
    static final class Resp implements AutoCloseable {
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
        private long header(char want) throws IOException {
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
    }
}
