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
 * --seconds} (default 30) after a settling pause ({@code -DsettleMs}, default 30 s): Redis commands
 * per second, by command, and this JVM's CPU per second (the process's, so the harness's own threads
 * count too: an upper bound), by thread, the JIT compilers' apart. Issue 14's target: at most 5
 * commands and 5 ms of CPU per second each.
 *
 * <p>{@code java [-DsettleMs=300000] -cp benchmarks/bus/target/herald-bus-bench.jar dev.herald.bench.bus.IdleCost [--seconds 30]}
 */
public final class IdleCost {

    /** Start-up is not idle: the JIT compiles start-up code for a minute (4 ms/s at 30 s, measured per thread). */
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
        Map<String, Long> threads0 = cpuByThread();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long cpu = os.getProcessCpuTime() - cpu0;
        Map<String, Long> threads1 = cpuByThread();
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
        // where it goes, by thread (numbers dropped from names): every native thread of this process,
        // so the JIT compilers and the GC are measured, not inferred
        Map<String, Double> byThread = new TreeMap<>();
        threads1.forEach((key, ns) -> {
            long d = ns - threads0.getOrDefault(key, 0L);
            if (d > 0) {
                byThread.merge(key.substring(key.indexOf(' ') + 1).replaceAll("[0-9]+", "N"), d / 1e6 / elapsed, Double::sum);
            }
        });
        double jit = byThread.entrySet().stream().filter(e -> e.getKey().contains("CompilerThre")).mapToDouble(Map.Entry::getValue).sum();
        double all = byThread.values().stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder top = new StringBuilder();
        byThread.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).limit(8)
                .forEach(e -> top.append(String.format(Locale.ROOT, " %s %.2f;", e.getKey(), e.getValue())));
        // the JIT still compiles minutes after start: rarely run code reaches its thresholds one
        // method at a time (an idle read loop's methods reach C2's after ~20 minutes), then stops
        System.out.printf(Locale.ROOT, "%-45s by thread:%s%n%-45s without the JIT compilers (%.2f ms/s now, still compiling start-up"
                        + " and rarely run code): %.2f ms/s%n", "", top, "", jit, all - jit);
    }

    /** CPU time on each of this process's threads, Java's and the JVM's own: "tid name" -> ns (Linux /proc). */
    private static Map<String, Long> cpuByThread() throws java.io.IOException {
        Map<String, Long> out = new java.util.HashMap<>();
        try (java.util.stream.Stream<java.nio.file.Path> tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path task : (Iterable<java.nio.file.Path>) tasks::iterator) {
                try {
                    String name = java.nio.file.Files.readString(task.resolve("comm")).trim();
                    long ns = Long.parseLong(java.nio.file.Files.readString(task.resolve("schedstat")).trim().split(" ")[0]);
                    out.put(task.getFileName() + " " + name, ns);
                } catch (java.io.IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return out;
    }
}
