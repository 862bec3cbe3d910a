package dev.herald.bench.bus;

import dev.herald.broker.Broker;
import dev.herald.runtime.Messenger;
import dev.herald.runtime.RedisConnection;
import dev.herald.runtime.RedisKeys;
import dev.herald.runtime.Worker;
import org.redisson.api.RedissonClient;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The realistic topology: the broker and each service in a JVM of its own, the producer in the
 * harness's JVM, all on one machine and one redis-server. The harness drives the roles over their
 * standard input and output, one command line and one answer line at a time ({@code count},
 * {@code measure <n>}, {@code report <file>}, {@code quit}); latency is the service's
 * {@link System#nanoTime()} minus the producer's, which on Linux is one clock for all processes
 * (CLOCK_MONOTONIC). JVM CPU is the sum over the roles' processes during the measured window.
 */
final class Topology implements AutoCloseable {

    private final List<Role> services = new ArrayList<>();
    private final Role broker;
    private final RedisKeys keys;
    private final RedissonClient client;
    private final Messenger producer;
    private final Path dir;

    private Topology(Role broker, RedisKeys keys, RedissonClient client, Messenger producer, Path dir) {
        this.broker = broker;
        this.keys = keys;
        this.client = client;
        this.producer = producer;
        this.dir = dir;
    }

    /** Starts the broker and one process per service, registered and warmed up. */
    static Topology start(Target redis, int conc, int brokerThreads, boolean validateOnReceipt) throws Exception {
        Path dir = Files.createTempDirectory("herald-bench-roles");
        String url = redis.url();
        if (url == null) {
            throw new IllegalArgumentException("one process per role runs on one redis-server, not on " + redis.label);
        }
        Role broker = Role.launch("broker", url, "--broker-threads", Integer.toString(brokerThreads));
        RedisKeys keys = new RedisKeys(broker.ready.split(" ")[1]);
        RedissonClient client = redis.connection().connect();
        Topology t = new Topology(broker, keys, client, Messenger.builder().redisson(client).service("producer").build(), dir);
        try {
            for (String s : BusBenchmark.SERVICES) {
                t.services.add(Role.launch("service", url, "--service", s, "--c", Integer.toString(conc),
                        "--validate", Boolean.toString(validateOnReceipt)));
            }
            // warm-up (JIT in every process): unmeasured events through the whole path
            t.send(BusBenchmark.WARMUP_FIRST, 0, false);
            t.awaitCounts(BusBenchmark.WARMUP_FIRST, 120_000);
        } catch (Exception e) {
            t.close();
            throw e;
        }
        return t;
    }

    /** One measured scenario on the running roles: a burst of {@code burstN} or {@code rate}/s for {@code duration} s. */
    BusBenchmark.Result run(Target redis, boolean paced, int burstN, int rate, int duration) throws Exception {
        int n = paced ? rate * duration : burstN;
        if (paced) {
            // the low-rate code paths compile first, unmeasured (see BusBenchmark.runHerald)
            for (Role r : all()) {
                r.ask("measure " + rate * 5);
            }
            send(rate * 5, rate, true);
            awaitCounts(rate * 5, 60_000);
        }
        for (Role r : all()) {
            r.ask("measure " + n);
        }
        Map<String, Long> before = redis.commandCalls();
        double redisCpu0 = redis.cpuSeconds();
        long producerCpu0 = cpuNanos();
        long t0 = System.nanoTime();
        send(n, rate, paced);
        awaitCounts(n, 170_000);
        BusBenchmark.waitForAcks(client, keys, 30_000);
        long producerCpu = cpuNanos() - producerCpu0;
        double redisCpu = redis.cpuSeconds() - redisCpu0;
        Map<String, Long> after = redis.commandCalls();

        long expected = (long) n * services.size();
        long[] all = new long[(int) expected];
        int k = 0;
        long last = 0;
        long rolesCpu = 0;
        StringBuilder perRole = new StringBuilder();
        for (Role r : all()) {
            Path file = dir.resolve(r.name + ".lat");
            String[] report = r.ask("report " + file).split(" ");
            long cpu = Long.parseLong(report[1]);
            rolesCpu += cpu;
            perRole.append(String.format(Locale.ROOT, " %s %.0f", r.name, cpu / 1e3 / n));
            if (r != broker) {
                last = Math.max(last, Long.parseLong(report[0]));
                try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
                    for (int i = 0; i < n; i++) {
                        all[k++] = in.readLong();
                    }
                }
            }
            Files.delete(file);
        }
        double wallMs = (last - t0) / 1e6;
        System.out.printf(Locale.ROOT, "  (CPU: redis-server %.2f s; JVMs %.2f s = %.0f us per event: producer %.0f,%s)%n",
                redisCpu, (rolesCpu + producerCpu) / 1e9, (rolesCpu + producerCpu) / 1e3 / n, producerCpu / 1e3 / n, perRole);
        Map<String, Long> delta = BusBenchmark.commandDelta(before, after);
        long commands = delta.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Long> top = BusBenchmark.top8(delta);
        Arrays.sort(all);
        return new BusBenchmark.Result((paced ? "paced " + rate + "/s x " + duration + " s" : "burst " + n) + ", one process per role",
                n, expected, wallMs, n / (wallMs / 1000), expected / (wallMs / 1000), BusBenchmark.pct(all, 50), BusBenchmark.pct(all, 99),
                all[all.length - 1] / 1e6, commands, (double) commands / n, top);
    }

    private List<Role> all() {
        List<Role> all = new ArrayList<>(services);
        all.add(broker);
        return all;
    }

    /** Sends {@code n} events: in batches of 1,000 (burst), or paced at {@code rate}/s; seq numbers restart at 0 per scenario. */
    private void send(int n, int rate, boolean paced) {
        if (paced) {
            BusBenchmark.sendPaced(producer, n, rate);
        } else {
            BusBenchmark.sendBurst(producer, n);
        }
    }

    /** Waits until every service has handled {@code n} events since the last {@code measure} (or since start). */
    private void awaitCounts(long n, long timeoutMs) throws Exception {
        long end = System.currentTimeMillis() + timeoutMs;
        for (Role s : services) {
            while (Long.parseLong(s.ask("count")) < n) {
                if (System.currentTimeMillis() > end) {
                    throw new IllegalStateException(s.name + " handled " + s.ask("count") + " of " + n + " events in " + timeoutMs + " ms");
                }
                Thread.sleep(5);
            }
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    @Override
    public void close() throws Exception {
        for (Role r : all()) {
            r.close();
        }
        producer.close();
        client.shutdown();
        Files.deleteIfExists(dir);
    }

    // ------------------------------------------------------------------ the harness's side of a role

    /** A role's process and its command line. */
    private static final class Role implements AutoCloseable {
        final String name;
        final Process process;
        final PrintWriter in;
        final BufferedReader out;
        final String ready;

        private Role(String name, Process process) throws IOException {
            this.name = name;
            this.process = process;
            this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.ready = out.readLine();
            if (ready == null || !ready.startsWith("ready")) {
                throw new IllegalStateException(name + " did not start (see its output above): " + ready);
            }
        }

        static Role launch(String role, String url, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("-X")).toList());
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Topology.class.getName(), role, url));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String name = role.equals("service") ? args[1] : role;
            return new Role(name, p);
        }

        String ask(String command) throws IOException {
            in.println(command);
            String answer = out.readLine();
            if (answer == null) {
                throw new IllegalStateException(name + " exited while asked '" + command + "'");
            }
            return answer;
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                in.println("quit");
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    // ------------------------------------------------------------------ a role's own process

    /**
     * {@code Topology broker <redis-url> [--broker-threads 2]} or {@code Topology service <redis-url>
     * --service svc-a [--c 50] [--validate true]}; then one answer line per command line on stdin.
     */
    public static void main(String[] args) throws Exception {
        PrintStream answers = System.out;
        System.setOut(System.err); // logs must not be taken for answers
        String role = args[0];
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 2; i + 1 < args.length; i += 2) {
            opt.put(args[i].substring(2), args[i + 1]);
        }
        RedissonClient client = RedisConnection.url(args[1]).connect();
        // swapped, never branched on, so that warm-up and measurement run the same compiled code
        java.util.concurrent.atomic.AtomicReference<BusBenchmark.Sink> sink = new java.util.concurrent.atomic.AtomicReference<>(new BusBenchmark.Sink(1, 1024));
        AutoCloseable running;
        if (role.equals("broker")) {
            Broker broker = Broker.builder().redisson(client).concurrency(Integer.parseInt(opt.getOrDefault("broker-threads", "2")))
                    .batchSize(500).start();
            running = broker;
            answers.println("ready " + broker.keys().namespace());
        } else {
            Messenger m = Messenger.builder().redisson(client).service(opt.get("service")).listensTo("order.created").build();
            Worker w = m.worker().concurrency(Integer.parseInt(opt.getOrDefault("c", "50")))
                    .validateOnReceipt(Boolean.parseBoolean(opt.getOrDefault("validate", "true")))
                    .on(BenchOrderCreated.class, (e, ctx) -> {
                        long now = System.nanoTime();
                        sink.get().record(0, e.seq(), now - e.sentAtNanos(), now);
                        return Map.of("ok", true, "orderId", e.orderId());
                    }).start();
            m.register().join();
            running = () -> {
                w.close();
                m.close();
            };
            answers.println("ready");
        }
        long cpu0 = cpuNanos();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            for (String line; (line = commands.readLine()) != null && !line.equals("quit"); ) {
                String[] c = line.split(" ", 2);
                switch (c[0]) {
                    case "count" -> answers.println(sink.get().count.get());
                    case "measure" -> {
                        sink.set(new BusBenchmark.Sink(1, Integer.parseInt(c[1])));
                        cpu0 = cpuNanos();
                        answers.println("ok");
                    }
                    case "report" -> {
                        long cpu = cpuNanos() - cpu0;
                        BusBenchmark.Sink measured = sink.get();
                        try (DataOutputStream f = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(new File(c[1]).toPath())))) {
                            for (long v : measured.latency[0]) {
                                f.writeLong(v);
                            }
                        }
                        answers.println(measured.last.get() + " " + cpu);
                    }
                    default -> answers.println("unknown command " + line);
                }
            }
        } finally {
            running.close();
            client.shutdown();
        }
        System.exit(0);
    }
}
