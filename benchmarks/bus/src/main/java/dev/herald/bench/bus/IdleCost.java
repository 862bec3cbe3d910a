package dev.herald.bench.bus;

import dev.herald.broker.Broker;
import dev.herald.broker.EmbeddedRedis;
import dev.herald.runtime.Messenger;
import org.redisson.api.RedissonClient;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Herald costs when nothing happens: an idle worker (one service listening to one event
 * type: its own stream and one topic), then an idle broker, each measured alone for {@code
 * --seconds} (default 30) after a settling pause of 30 s: Redis commands per second, by command, and this
 * JVM's CPU per second (the process's, so the harness's own threads count too: an upper bound).
 * Issue 14's target: at most 5 commands and 5 ms of CPU per second each.
 *
 * <p>{@code java -cp benchmarks/bus/target/herald-bus-bench.jar dev.herald.bench.bus.IdleCost [--seconds 30]}
 */
public final class IdleCost {

    /** The C1 compiler still works 20-30 s after start (4 ms/s, measured per thread): settle longer than that. */
    private static final long SETTLE_MS = Long.getLong("settleMs", 30_000);

    private IdleCost() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length >= 2 && args[0].equals("--seconds") ? Integer.parseInt(args[1]) : 30;
        try (EmbeddedRedis redis = EmbeddedRedis.start(); RedisInfo admin = new RedisInfo(redis.port())) {
            System.out.printf(Locale.ROOT, "idle cost over %d s each (redis-server %s, one JVM, 2 cores)%n", seconds, redis.url());
            RedissonClient client = dev.herald.runtime.RedisConnection.url(redis.url()).connect();
            try {
                try (Messenger svc = Messenger.builder().redisson(client).service("svc-a").listensTo("order.created").build()) {
                    svc.worker().consume(BenchOrderCreated.class, (e, ctx) -> { }).start();
                    svc.register().join();
                    measure("idle worker (its stream and one topic)", admin, seconds);
                }
                Broker broker = Broker.builder().redisson(client).start();
                try {
                    measure("idle broker (1 type known, 1 registration)", admin, seconds);
                } finally {
                    broker.close();
                }
            } finally {
                client.shutdown();
            }
        }
    }

    private static void measure(String what, RedisInfo admin, int seconds) throws Exception {
        Thread.sleep(SETTLE_MS); // start-up reads and writes, and the JIT compiling start-up code, are not idle cost
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Map<String, Long> before = admin.commandCalls();
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> threadCpu0 = new java.util.HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            threadCpu0.put(id, threads.getThreadCpuTime(id));
        }
        long cpu0 = os.getProcessCpuTime();
        long jit0 = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long cpu = os.getProcessCpuTime() - cpu0;
        Map<String, Long> after = admin.commandCalls();
        Map<String, Double> perSecond = new TreeMap<>();
        double total = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (d > 0 && !e.getKey().equals("info")) {
                perSecond.put(e.getKey(), d / elapsed);
                total += d / elapsed;
            }
        }
        StringBuilder by = new StringBuilder();
        perSecond.forEach((k, v) -> by.append(String.format(Locale.ROOT, " %s %.2f", k, v)));
        System.out.printf(Locale.ROOT, "%-45s %6.2f Redis commands/s (%s ) | JVM CPU %.2f ms/s%n", what, total, by.toString().trim().isEmpty()
                ? " none" : by, cpu / 1e6 / elapsed);
        // where it goes: Java threads by name (numbers dropped), the rest is the JVM's own (JIT compilers, GC)
        Map<String, Double> byThread = new TreeMap<>();
        double java = 0;
        for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t == null) {
                continue;
            }
            long c = threads.getThreadCpuTime(t.getThreadId()) - threadCpu0.getOrDefault(t.getThreadId(), 0L);
            if (c > 0) {
                byThread.merge(t.getThreadName().replaceAll("[0-9]+", "N"), c / 1e6 / elapsed, Double::sum);
                java += c / 1e6 / elapsed;
            }
        }
        StringBuilder top = new StringBuilder();
        byThread.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).limit(6)
                .forEach(e -> top.append(String.format(Locale.ROOT, " %s %.2f;", e.getKey(), e.getValue())));
        // the JIT still compiles a minute after start: periodic tasks reach its thresholds one by one
        double jit = (ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit0) / elapsed;
        System.out.printf(Locale.ROOT, "%-45s Java threads %.2f ms/s (%s ), JIT compilers %.2f ms/s (wall), GC and other JVM threads %.2f ms/s%n", "",
                java, top, jit, Math.max(0, cpu / 1e6 / elapsed - java - jit));
    }
}
