package dev.herald.bench.bus;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.broker.Broker;
import dev.herald.broker.EmbeddedRedis;
import dev.herald.runtime.Json;
import dev.herald.runtime.Messenger;
import dev.herald.runtime.RedisKeys;
import dev.herald.runtime.Worker;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The peer's fan-out workload on Herald: one producer → broker → three services (one worker
 * each), ~335-byte order events; a burst of N events sent in batches of 1,000 and a paced run
 * at R events/s. Everything runs against a throwaway redis-server (the embedded binary) on a
 * free loopback port; when {@code node} is on the PATH the BullMQ peer runs against the same
 * Redis in the same invocation and the ratios are printed.
 *
 * <pre>
 * java -jar herald-bus-bench.jar [--n 50000] [--rate 1000] [--duration 20] [--c 50]
 *      [--broker-threads 2] [--reps 1] [--peer-dir ../shared/peer-bench/bullmq] [--no-peer] [--no-moleculer]
 *      [--fast-rate 5000] [--no-processes] [--cluster]
 * </pre>
 */
public final class BusBenchmark {

    /** The listening services: the peer's three, or -Dfanout=N of them (to see how Redis work grows with fan-out). */
    static final String[] SERVICES = services(Integer.getInteger("fanout", 3));

    private static String[] services(int n) {
        String[] s = new String[n];
        for (int i = 0; i < n; i++) {
            s[i] = n == 3 ? "svc-" + (char) ('a' + i) : String.format(Locale.ROOT, "svc-%02d", i);
        }
        return s;
    }
    /** Events sent through the whole path before the first measurement (JIT); later runs in this JVM warm up with 10,000. */
    static final int WARMUP_FIRST = Integer.getInteger("warmup", 60_000);
    static int warmupRuns = 0;
    /** At most this many burst-sized warm-up rounds while the JIT compilers are still busy. */
    static final int WARMUP_MAX_ROUNDS = Integer.getInteger("warmupMaxRounds", 8);

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = parse(args);
        int n = Integer.parseInt(opt.getOrDefault("n", "50000"));
        int rate = Integer.parseInt(opt.getOrDefault("rate", "1000"));
        int duration = Integer.parseInt(opt.getOrDefault("duration", "20"));
        int conc = Integer.parseInt(opt.getOrDefault("c", "50"));
        int brokerThreads = Integer.parseInt(opt.getOrDefault("broker-threads", "2"));
        String peerDir = opt.getOrDefault("peer-dir", "../shared/peer-bench/bullmq");
        boolean peer = !opt.containsKey("no-peer");
        // the second peer: Moleculer with @moleculer/channels, beside the BullMQ one (same workload, same flags)
        String moleculerDir = opt.getOrDefault("moleculer-dir", new File(new File(peerDir).getAbsoluteFile().getParentFile(), "moleculer").getPath());
        int fastRate = Integer.parseInt(opt.getOrDefault("fast-rate", "5000"));
        int reps = Integer.parseInt(opt.getOrDefault("reps", "1"));

        try (EmbeddedRedis redis = EmbeddedRedis.start(); RedisInfo admin = new RedisInfo(redis.port()); Target single = Target.single(redis)) {
            String version = admin.field("server", "redis_version");
            String sample = sampleEnvelope();
            System.out.printf(Locale.ROOT, "Herald bus benchmark: redis-server %s (embedded binary) on 127.0.0.1:%d, %d cores, Java %s%n",
                    version, redis.port(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            System.out.printf(Locale.ROOT, "event: data %d bytes, whole CloudEvents envelope %d bytes; worker concurrency %d, broker threads %d%n",
                    Json.mapper().readTree(sample).get("data").toString().length(), sample.length(), conc, brokerThreads);

            boolean withPeer = peer && onPath("node") && new File(peerDir, "bench.js").isFile();
            boolean withMoleculer = peer && !opt.containsKey("no-moleculer") && onPath("node") && new File(moleculerDir, "bench.js").isFile();
            if (withMoleculer) {
                ensureNodeModules(new File(moleculerDir), "moleculer");
            } else if (peer) {
                System.out.println("moleculer peer: skipped (" + (opt.containsKey("no-moleculer") ? "--no-moleculer" : "node not on PATH or no "
                        + moleculerDir + "/bench.js") + ")");
            }
            if (withPeer) {
                ensureNodeModules(new File(peerDir), "bullmq");
            } else {
                System.out.println("peer: skipped (" + (peer ? "node not on PATH or no " + peerDir + "/bench.js" : "--no-peer") + ")");
            }
            // the ceiling's client once, unmeasured, before anything else: classes loaded for the first
            // time during a Herald measurement make the JIT throw away and redo compiled code that
            // assumed fewer implementations (4-5 s of compilation inside the next burst, measured)
            RedisCeiling.run(redis.port(), sample, 5_000, SERVICES.length, conc);
            // bursts alternate Herald / peer, so that both see the same machine (shared machines are noisy)
            List<Result> bursts = new ArrayList<>();
            List<Result> peerBursts = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            List<Result> molBursts = new ArrayList<>();
            List<Double> molRatios = new ArrayList<>();
            List<RedisCeiling.Figures> ceilings = new ArrayList<>();
            List<Double> ofCeiling = new ArrayList<>();
            for (int rep = 0; rep < reps; rep++) {
                Result b = runHerald(single, false, n, rate, duration, conc, brokerThreads);
                print("herald burst", b);
                bursts.add(b);
                // what Redis allows for the same commands (XADD, XREADGROUP of 50, XACK) and entries, from the cheapest client
                single.flushAll();
                RedisCeiling.Figures ceiling = RedisCeiling.run(redis.port(), sample, n, SERVICES.length, conc);
                ceilings.add(ceiling);
                ofCeiling.add(b.eventsPerSec() / ceiling.eventsPerSec());
                System.out.printf(Locale.ROOT, "redis ceiling (raw RESP client, same entries and commands): %,.0f events/s, redis-server %.1f us per event, "
                                + "%.2f commands per event -> herald at %.0f %% of it%n", ceiling.eventsPerSec(), ceiling.redisCpuMicrosPerEvent(),
                        ceiling.commandsPerEvent(), 100 * b.eventsPerSec() / ceiling.eventsPerSec());
                if (withPeer) {
                    Result pb = runPeer(new File(peerDir), redis.port(), "fanout", "--n", Integer.toString(n), "--c", Integer.toString(conc));
                    print("bullmq burst", pb);
                    peerBursts.add(pb);
                    ratios.add(b.eventsPerSec() / pb.eventsPerSec());
                    System.out.printf(Locale.ROOT, "  ratio of this pair: %.1fx%n", b.eventsPerSec() / pb.eventsPerSec());
                }
                if (withMoleculer) {
                    Result mb = runPeer(new File(moleculerDir), redis.port(), "fanout", "--n", Integer.toString(n), "--c", Integer.toString(conc));
                    print("moleculer burst", mb);
                    molBursts.add(mb);
                    molRatios.add(b.eventsPerSec() / mb.eventsPerSec());
                    System.out.printf(Locale.ROOT, "  ratio herald/moleculer of this pair: %.1fx%n", b.eventsPerSec() / mb.eventsPerSec());
                }
            }
            Result molBurst = withMoleculer ? median(molBursts) : null;
            Result herald200 = null;
            Result mol200 = null;
            if (withMoleculer) {
                // Moleculer gains most with more in flight: one pair at 200
                herald200 = runHerald(single, false, n, rate, duration, 200, brokerThreads);
                print("herald burst c200", herald200);
                mol200 = runPeer(new File(moleculerDir), redis.port(), "fanout", "--n", Integer.toString(n), "--c", "200");
                print("moleculer burst c200", mol200);
            }
            Result burst = median(bursts);
            Result peerBurst = withPeer ? median(peerBursts) : null;
            Result paced = runHerald(single, true, n, rate, duration, conc, brokerThreads);
            print("herald paced", paced);
            Result peerPaced = null;
            if (withPeer) {
                peerPaced = runPeer(new File(peerDir), redis.port(), "fanout-paced", "--rate", Integer.toString(rate),
                        "--duration", Integer.toString(duration), "--c", Integer.toString(conc));
                print("bullmq paced", peerPaced);
            }
            Result molPaced = null;
            if (withMoleculer) {
                molPaced = runPeer(new File(moleculerDir), redis.port(), "fanout-paced", "--rate", Integer.toString(rate),
                        "--duration", Integer.toString(duration), "--c", Integer.toString(conc));
                print("moleculer paced", molPaced);
            }
            // a second paced rate (issue 14: 5,000/s), for Herald and each peer, 10 s each
            Result fast = null;
            Result peerFast = null;
            Result molFast = null;
            if (fastRate > 0) {
                fast = runHerald(single, true, n, fastRate, 10, conc, brokerThreads);
                print("herald paced " + fastRate, fast);
                if (withPeer) {
                    peerFast = runPeer(new File(peerDir), redis.port(), "fanout-paced", "--rate", Integer.toString(fastRate), "--duration", "10",
                            "--c", Integer.toString(conc));
                    print("bullmq paced " + fastRate, peerFast);
                }
                if (withMoleculer) {
                    molFast = runPeer(new File(moleculerDir), redis.port(), "fanout-paced", "--rate", Integer.toString(fastRate), "--duration", "10",
                            "--c", Integer.toString(conc));
                    print("moleculer paced " + fastRate, molFast);
                }
            }

            // the realistic topology: the broker and each service in its own JVM, the producer in this one
            List<Result> procs = new ArrayList<>();
            if (!opt.containsKey("no-processes")) {
                single.flushAll();
                System.out.println("one process per role (broker and " + SERVICES.length + " services in JVMs of their own, the producer in this one):");
                try (Topology t = Topology.start(single, conc, brokerThreads, !Boolean.getBoolean("noReceiptValidation"))) {
                    print("(warm-up)", t.run(single, false, n, rate, duration)); // the roles' JIT compilers are still busy in the first burst
                    for (int rep = 0; rep < reps; rep++) {
                        Result r = t.run(single, false, n, rate, duration);
                        print("procs burst", r);
                        procs.add(r);
                    }
                    Result p = t.run(single, true, n, rate, duration);
                    print("procs paced", p);
                    procs.add(p);
                    if (fastRate > 0) {
                        Result f = t.run(single, true, n, fastRate, 10);
                        print("procs paced " + fastRate, f);
                        procs.add(f);
                    }
                }
            }

            Result clusterBurst = null;
            if (opt.containsKey("cluster")) {
                // the same burst on a local cluster, in the same run: on 2 cores it cannot be faster (six
                // redis-servers share the cores); what it shows is how the commands spread over the shards
                try (Target c = Target.cluster()) {
                    System.out.println("on " + c.label + ":");
                    clusterBurst = runHerald(c, false, n, rate, duration, conc, brokerThreads);
                    print("herald burst (cluster)", clusterBurst);
                    RedissonClient cc = SHARED.remove(c);
                    if (cc != null) {
                        cc.shutdown();
                    }
                }
            }

            System.out.println();
            System.out.println("summary (targets: burst >= 5x the peer, paced p99 < 20 ms, <= 10 Redis commands per fanned-out event)");
            System.out.printf(Locale.ROOT, "  burst: herald %,.0f events/s (%,.0f completions/s), %.2f Redis commands/event%n",
                    burst.eventsPerSec, burst.completionsPerSec, burst.commandsPerEvent);
            System.out.printf(Locale.ROOT, "  paced: herald p50 %.2f ms, p99 %.2f ms, %.2f Redis commands/event%n", paced.p50, paced.p99, paced.commandsPerEvent);
            if (clusterBurst != null) {
                System.out.printf(Locale.ROOT, "  burst on the local cluster: herald %,.0f events/s (%,.0f completions/s), %.2f Redis commands/event%n",
                        clusterBurst.eventsPerSec, clusterBurst.completionsPerSec, clusterBurst.commandsPerEvent);
            }
            {
                List<Double> sorted = new ArrayList<>(ofCeiling);
                sorted.sort(null);
                System.out.printf(Locale.ROOT, "  redis-bound ceiling: median %,.0f events/s -> herald at %.0f %% of it (median of %d pairs %s)%n",
                        ceilings.stream().mapToDouble(RedisCeiling.Figures::eventsPerSec).sorted().toArray()[ceilings.size() / 2],
                        100 * sorted.get(sorted.size() / 2), sorted.size(), sorted.stream().map(r -> String.format(Locale.ROOT, "%.0f %%", 100 * r)).toList());
            }
            if (peerBurst != null) {
                List<Double> sorted = new ArrayList<>(ratios);
                sorted.sort(null);
                System.out.printf(Locale.ROOT, "  burst: bullmq %,.0f events/s (%,.0f completions/s), %.2f Redis commands/event -> ratio herald/bullmq: median %.1fx of %d pairs %s%n",
                        peerBurst.eventsPerSec, peerBurst.completionsPerSec, peerBurst.commandsPerEvent,
                        sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2) : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2,
                        sorted.size(),
                        sorted.stream().map(r -> String.format(Locale.ROOT, "%.1f", r)).toList());
                System.out.printf(Locale.ROOT, "  paced: bullmq p50 %.2f ms, p99 %.2f ms, %.2f Redis commands/event%n", peerPaced.p50, peerPaced.p99, peerPaced.commandsPerEvent);
            }
            if (molBurst != null) {
                List<Double> sorted = new ArrayList<>(molRatios);
                sorted.sort(null);
                System.out.printf(Locale.ROOT, "  burst: moleculer %,.0f events/s, %.2f Redis commands/event -> ratio herald/moleculer: median %.1fx of %d pairs %s%n",
                        molBurst.eventsPerSec, molBurst.commandsPerEvent,
                        sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2) : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2,
                        sorted.size(), sorted.stream().map(r -> String.format(Locale.ROOT, "%.1f", r)).toList());
                System.out.printf(Locale.ROOT, "  burst at 200 in flight: herald %,.0f, moleculer %,.0f events/s (%.1fx)%n",
                        herald200.eventsPerSec, mol200.eventsPerSec, herald200.eventsPerSec / mol200.eventsPerSec);
                System.out.printf(Locale.ROOT, "  paced: moleculer p50 %.2f ms, p99 %.2f ms, %.2f Redis commands/event%n", molPaced.p50, molPaced.p99,
                        molPaced.commandsPerEvent);
            }
            if (fast != null) {
                System.out.printf(Locale.ROOT, "  paced %d/s: herald p50 %.2f / p99 %.2f ms%s%s%n", fastRate, fast.p50, fast.p99,
                        peerFast == null ? "" : String.format(Locale.ROOT, ", bullmq %.2f / %.2f ms (%,.0f events/s)", peerFast.p50, peerFast.p99, peerFast.eventsPerSec),
                        molFast == null ? "" : String.format(Locale.ROOT, ", moleculer %.2f / %.2f ms (%,.0f events/s)", molFast.p50, molFast.p99, molFast.eventsPerSec));
            }
            if (!procs.isEmpty()) {
                Result pb = median(procs.subList(0, reps));
                System.out.printf(Locale.ROOT, "  one process per role: burst %,.0f events/s (median of %d)%s, %.2f Redis commands/event; paced %d/s p50 %.2f / p99 %.2f ms%s%n",
                        pb.eventsPerSec, reps, peerBurst == null ? "" : String.format(Locale.ROOT, " = %.1fx bullmq", pb.eventsPerSec / peerBurst.eventsPerSec)
                                + (molBurst == null ? "" : String.format(Locale.ROOT, ", %.1fx moleculer", pb.eventsPerSec / molBurst.eventsPerSec)),
                        pb.commandsPerEvent, rate, procs.get(reps).p50, procs.get(reps).p99,
                        procs.size() > reps + 1 ? String.format(Locale.ROOT, "; paced %d/s p50 %.2f / p99 %.2f ms", fastRate, procs.get(reps + 1).p50,
                                procs.get(reps + 1).p99) : "");
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("processes", procs);
            json.put("ceilings", ceilings);
            json.put("redis", version);
            json.put("heraldBurst", burst);
            json.put("heraldPaced", paced);
            json.put("heraldClusterBurst", clusterBurst);
            json.put("bullmqBurst", peerBurst);
            json.put("bullmqPaced", peerPaced);
            json.put("heraldBursts", bursts);
            json.put("bullmqBursts", peerBursts);
            json.put("burstRatios", ratios);
            json.put("moleculerBursts", molBursts);
            json.put("moleculerRatios", molRatios);
            json.put("moleculerPaced", molPaced);
            json.put("heraldBurst200", herald200);
            json.put("moleculerBurst200", mol200);
            json.put("heraldPacedFast", fast);
            json.put("bullmqPacedFast", peerFast);
            json.put("moleculerPacedFast", molFast);
            System.out.println("JSON " + Json.mapper().writeValueAsString(json));
            SHARED.values().forEach(RedissonClient::shutdown);
        }
        System.exit(0);
    }

    /** One scenario's figures. */
    public record Result(String scenario, long events, long completions, double wallMs, double eventsPerSec,
                         double completionsPerSec, double p50, double p99, double max, long redisCommands,
                         double commandsPerEvent, Map<String, Long> topCommands) {
    }

    static Result runHerald(Target redis, boolean paced, int burstN, int rate, int duration, int conc,
                            int brokerThreads) throws Exception {
        redis.flushAll();
        int n = paced ? rate * duration : burstN;
        List<RedissonClient> clients = new ArrayList<>();
        List<AutoCloseable> closeables = new ArrayList<>();
        try {
            RedissonClient brokerClient = client(redis, clients);
            Broker broker = Broker.builder().redisson(brokerClient).concurrency(brokerThreads).batchSize(500).start();
            closeables.add(broker);
            // warm-up and measurement run the same handler code, and the bus the same paths (results
            // kept): only the sink is swapped. A branch the warm-up never took would be compiled as a
            // trap and recompiled, with everything inlined around it, during the measurement.
            Sink warmSink = new Sink(SERVICES.length, 1024);
            Sink measured = new Sink(SERVICES.length, n);
            java.util.concurrent.atomic.AtomicReference<Sink> sink = new java.util.concurrent.atomic.AtomicReference<>(warmSink);
            AtomicLong warm = warmSink.count;
            for (int s = 0; s < SERVICES.length; s++) {
                int si = s;
                Messenger m = Messenger.builder().redisson(client(redis, clients)).service(SERVICES[s]).listensTo("order.created").build();
                closeables.add(m);
                Worker w = m.worker().concurrency(conc).validateOnReceipt(!Boolean.getBoolean("noReceiptValidation")).on(BenchOrderCreated.class, (e, ctx) -> {
                    long now = System.nanoTime();
                    sink.get().record(si, e.seq(), now - e.sentAtNanos(), now);
                    return Map.of("ok", true, "orderId", e.orderId()); // kept as the result, as BullMQ keeps return values
                }).start();
                closeables.add(w);
                m.register().join();
            }
            Messenger producer = Messenger.builder().redisson(client(redis, clients)).service("producer").build();
            closeables.add(producer);

            // warm-up (JIT): events through the whole path, not measured; then, before every burst,
            // rounds shaped like the measured burst (n events at once) until the JIT compilers are
            // done (a long-running broker and services are compiled). Not only before the first: what
            // ran between two bursts in this JVM (the ceiling's client, a paced run) makes C2 throw
            // away code compiled for the bus — 73 methods made not entrant and 3.4 s of compilation
            // inside a later burst, measured with -XX:+PrintCompilation
            boolean first = warmupRuns++ == 0;
            int warmupEvents = first ? WARMUP_FIRST : Math.min(WARMUP_FIRST, 10_000);
            long warmSent = warmUp(producer, warm, warmupEvents, 0);
            java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
            StringBuilder jitLog = new StringBuilder();
            for (int round = 0; !paced && round < WARMUP_MAX_ROUNDS; round++) {
                long jit0 = jit.getTotalCompilationTime();
                long w0 = System.nanoTime();
                warmSent = warmUp(producer, warm, n, warmSent);
                long jitMs = jit.getTotalCompilationTime() - jit0;
                long roundMs = (System.nanoTime() - w0) / 1_000_000;
                jitLog.append(String.format(Locale.ROOT, " %d/%d ms", jitMs, roundMs));
                if (jitMs * 20 < roundMs) { // compilers busy less than 5 % of the round
                    break;
                }
            }
            if (paced) {
                // at a low rate other code runs hot (one entry per read, on the reading thread): 5 s of
                // it unmeasured, so that the JIT compiles it before the measurement, as in a long-running service
                int pacedWarm = rate * Math.min(5, duration);
                sendPaced(producer, pacedWarm, rate);
                warmSent += pacedWarm;
                long total = warmSent;
                waitFor(() -> warm.get() >= (long) SERVICES.length * total, 60_000);
            }
            warmupEvents = (int) warmSent;
            System.out.printf(Locale.ROOT, "  (warm-up: %,d events; JIT/wall per burst-sized round:%s)%n", warmSent, jitLog);
            waitForAcks(brokerClient, broker.keys(), 10_000);
            sink.set(measured);

            Map<String, Long> before = redis.commandCalls();
            List<Long> perNode0 = redis.commandsPerNode();
            double redisCpu0 = redis.cpuSeconds();
            long jvmCpu0 = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
            long jitMs0 = jit.getTotalCompilationTime();
            long t0 = System.nanoTime();
            if (paced) {
                sendPaced(producer, n, rate);
            } else {
                sendBurst(producer, n);
            }
            long producedMs = (System.nanoTime() - t0) / 1_000_000;
            long routedBefore = broker.stats().routed() - 0;
            long expected = (long) n * SERVICES.length;
            long[] brokerDoneMs = {-1};
            long routeTarget = warmupEvents + (long) n;
            waitFor(() -> {
                if (brokerDoneMs[0] < 0 && broker.stats().routed() >= routeTarget) {
                    brokerDoneMs[0] = (System.nanoTime() - t0) / 1_000_000;
                }
                return measured.count.get() >= expected;
            }, 170_000);
            System.out.printf(Locale.ROOT, "  (producer done after %d ms, broker routed everything after %d ms; routed before %d)%n",
                    producedMs, brokerDoneMs[0], routedBefore);
            double wallMs = (measured.last.get() - t0) / 1e6;
            waitForAcks(brokerClient, broker.keys(), 30_000);
            Map<String, Long> after = redis.commandCalls();
            List<Long> perNode = redis.commandsPerNode();
            double redisCpu = redis.cpuSeconds() - redisCpu0;
            if (redis.shards() > 1) {
                StringBuilder shares = new StringBuilder();
                for (int i = 0; i < perNode.size(); i++) {
                    shares.append(String.format(Locale.ROOT, " %.2f", (perNode.get(i) - perNode0.get(i)) / (double) n));
                }
                System.out.printf(Locale.ROOT, "  (Redis commands per event on each of the %d primaries:%s)%n", redis.shards(), shares);
            }
            long jvmCpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() - jvmCpu0;
            // the JIT compilers' time is reported apart: a long-running service has compiled its hot code
            long jitMs = jit.getTotalCompilationTime() - jitMs0;
            System.out.printf(Locale.ROOT, "  (CPU: redis-server %.2f s, JVM %.2f s = %.0f us per event; of which JIT compilers %.2f s, without them %.0f us per event)%n",
                    redisCpu, jvmCpu / 1e9, jvmCpu / 1e3 / n, jitMs / 1e3, Math.max(0, jvmCpu / 1e3 - jitMs * 1e3) / n);
            Map<String, Long> delta = commandDelta(before, after);
            long commands = delta.values().stream().mapToLong(Long::longValue).sum();
            Map<String, Long> top = top8(delta);
            long[] all = new long[(int) expected];
            int k = 0;
            for (long[] perService : measured.latency) {
                for (long v : perService) {
                    all[k++] = v;
                }
            }
            Arrays.sort(all);
            return new Result(paced ? "paced " + rate + "/s x " + duration + " s" : "burst " + n, n, measured.count.get(), wallMs,
                    n / (wallMs / 1000), expected / (wallMs / 1000), pct(all, 50), pct(all, 99), all[all.length - 1] / 1e6,
                    commands, (double) commands / n, top);
        } finally {
            for (int i = closeables.size() - 1; i >= 0; i--) {
                closeables.get(i).close();
            }
            for (RedissonClient c : clients) {
                c.shutdown();
            }
        }
    }

    /** Sends {@code n} events (seq 0 to n - 1) in batches of 1,000, as the peer's {@code addBulk}. */
    static void sendBurst(Messenger producer, int n) {
        List<BenchOrderCreated> batch = new ArrayList<>(1000);
        for (int i = 0; i < n; i++) {
            batch.add(BenchOrderCreated.make(i));
            if (batch.size() == 1000) {
                producer.sendAll(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            producer.sendAll(batch);
        }
    }

    /** Sends {@code n} events at {@code rate} per second (seq 0 to n - 1), each as soon as it is due, and waits for their replies. */
    static void sendPaced(Messenger producer, int n, int rate) {
        long intervalNs = 1_000_000_000L / rate;
        List<CompletableFuture<String>> pending = new ArrayList<>(n);
        long t0 = System.nanoTime();
        int sent = 0;
        while (sent < n) {
            long due = Math.min(n, (System.nanoTime() - t0) / intervalNs + 1);
            while (sent < due) {
                pending.add(producer.sendAsync(BenchOrderCreated.make(sent++)));
            }
            LockSupport.parkNanos(500_000);
        }
        CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).join();
    }

    /** Calls per command between two {@code INFO commandstats} readings (the harness's own INFO left out). */
    static Map<String, Long> commandDelta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (d > 0 && !e.getKey().equals("info")) {
                delta.put(e.getKey(), d);
            }
        }
        return delta;
    }

    /** The eight most called commands, most called first. */
    static Map<String, Long> top8(Map<String, Long> delta) {
        Map<String, Long> top = new LinkedHashMap<>();
        delta.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(8)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        return top;
    }

    /** Where handler runs are counted, with their latency by seq (modulo the array: warm-up seqs may exceed it). */
    static final class Sink {
        final long[][] latency;
        final AtomicLong count = new AtomicLong();
        final AtomicLong last = new AtomicLong();

        Sink(int services, int n) {
            latency = new long[services][n];
        }

        void record(int service, long seq, long latencyNanos, long now) {
            long[] into = latency[service];
            into[(int) (seq % into.length)] = latencyNanos;
            count.incrementAndGet();
            last.accumulateAndGet(now, Math::max);
        }
    }

    /**
     * Sends {@code count} unmeasured events as the measured burst sends them and waits for their
     * handler run in every service. The same method, not a look-alike: sending sublists here and
     * whole lists in the burst gave {@code Messenger.sendAll} a second list class, and C2 recompiled
     * the send path inside the measured burst.
     */
    private static long warmUp(Messenger producer, AtomicLong warm, int count, long sentBefore) throws InterruptedException {
        sendBurst(producer, count);
        long total = sentBefore + count;
        waitFor(() -> warm.get() >= (long) SERVICES.length * total, 60_000);
        return total;
    }

    /** The result with the median events/s. */
    private static Result median(List<Result> results) {
        List<Result> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> Double.compare(a.eventsPerSec(), b.eventsPerSec()));
        return sorted.get(sorted.size() / 2);
    }

    /**
     * One Redis client shared by every role, as one process holds one client (the peer runs every
     * role in one Node process, on one event loop); -Dshared=false: one client per role, as if
     * each ran in its own process.
     */
    private static RedissonClient client(Target redis, List<RedissonClient> clients) {
        if (!"false".equals(System.getProperty("shared"))) {
            // one client for every scenario on this target, as a service keeps its client: shutting
            // one down runs Netty's shutdown paths, and the JIT then recompiled ~600 methods (4-5 s
            // of compilation) inside the next measured burst
            return SHARED.computeIfAbsent(redis, t -> t.connection().connect());
        }
        RedissonClient c = redis.connection().connect();
        clients.add(c);
        return c;
    }

    private static final Map<Target, RedissonClient> SHARED = new java.util.IdentityHashMap<>();

    /** Waits until no service has a pending entry (all acknowledged), on its group of the topic or on its own stream. */
    static void waitForAcks(RedissonClient client, RedisKeys keys, long timeoutMs) throws InterruptedException {
        waitFor(() -> {
            for (String s : SERVICES) {
                if (client.getStream(keys.topic("order.created"), StringCodec.INSTANCE).getPendingInfo(RedisKeys.topicGroup(s)).getTotal() > 0
                        || client.getStream(keys.serviceStream(s), StringCodec.INSTANCE).getPendingInfo(RedisKeys.WORKER_GROUP).getTotal() > 0) {
                    return false;
                }
            }
            return true;
        }, timeoutMs);
    }

    static double pct(long[] sorted, double p) {
        int idx = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1));
        return sorted[idx] / 1e6;
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check c, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        try {
            while (!c.ok()) {
                if (System.currentTimeMillis() > end) {
                    throw new IllegalStateException("timed out after " + timeoutMs + " ms");
                }
                Thread.sleep(5);
            }
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void print(String name, Result r) {
        System.out.printf(Locale.ROOT, "%-13s %s: %,.0f events/s, %,.0f service completions/s, latency p50 %.2f ms p99 %.2f ms max %.1f ms, "
                        + "%,d Redis commands = %.2f per event %s%n", name, r.scenario(), r.eventsPerSec(), r.completionsPerSec(),
                r.p50(), r.p99(), r.max(), r.redisCommands(), r.commandsPerEvent(), r.topCommands());
    }

    // ------------------------------------------------------------------ the BullMQ peer

    static Result runPeer(File dir, int port, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("node", "bench.js"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("REDIS_PORT", Integer.toString(port));
        pb.environment().put("REDIS_HOST", "127.0.0.1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(200, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("peer failed: " + out);
        }
        JsonNode root = Json.mapper().readTree(out.substring(out.indexOf('{')));
        JsonNode r = root.get("result");
        JsonNode lat = r.get("latency_send_to_service_processing_all");
        long events = r.get("events").asLong();
        long commands = r.get("redisCalls").asLong();
        Map<String, Long> top = new LinkedHashMap<>();
        r.path("topCommands").fields().forEachRemaining(f -> top.put(f.getKey(), f.getValue().asLong()));
        String peerVersion = root.at("/meta/bullmq").isMissingNode() ? "moleculer " + root.at("/meta/moleculer").asText()
                : "bullmq " + root.at("/meta/bullmq").asText();
        return new Result(args[0] + " (" + peerVersion + ")", events, r.get("serviceCompletions").asLong(),
                r.get("wallMs").asDouble(), r.get("endToEnd_events_per_s").asDouble(), r.get("endToEnd_serviceCompletions_per_s").asDouble(),
                lat.get("p50_ms").asDouble(), lat.get("p99_ms").asDouble(), lat.get("max_ms").asDouble(), commands,
                (double) commands / events, top);
    }

    private static void ensureNodeModules(File dir, String mainPackage) throws IOException, InterruptedException {
        if (new File(dir, "node_modules/" + mainPackage).isDirectory()) {
            return;
        }
        System.out.println("peer: npm install in " + dir);
        Process p = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund").directory(dir).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("npm install failed in " + dir);
        }
    }

    private static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, exe))) {
                return true;
            }
        }
        return false;
    }

    static String sampleEnvelope() {
        return dev.herald.runtime.Envelope.parse(
                "{\"specversion\":\"1.0\",\"id\":\"" + dev.herald.runtime.Envelope.newId() + "\",\"source\":\"herald:service/producer\","
                        + "\"type\":\"order.created\",\"dataschema\":\"herald:order.created/v1\",\"time\":\"" + dev.herald.runtime.Envelope.now()
                        + "\",\"datacontenttype\":\"application/json\",\"traceparent\":\"" + dev.herald.runtime.Envelope.newTraceparent()
                        + "\",\"data\":" + safeJson(BenchOrderCreated.make(12345)) + "}").toJson();
    }

    private static String safeJson(Object o) {
        try {
            return Json.mapper().writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String k = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                m.put(k, args[++i]);
            } else {
                m.put(k, "true");
            }
        }
        return m;
    }
}
