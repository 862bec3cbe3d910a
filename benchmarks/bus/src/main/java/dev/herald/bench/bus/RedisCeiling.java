package dev.herald.bench.bus;

import dev.herald.broker.EmbeddedRedis;

import java.io.IOException;
import java.io.UncheckedIOException;
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
                Figures f = run(redis.port(), BusBenchmark.sampleEnvelope(), n, services, count);
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
        byte[][] ack = {Resp.bytes("XACK"), Resp.bytes(KEY), Resp.bytes(group)};
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


}
