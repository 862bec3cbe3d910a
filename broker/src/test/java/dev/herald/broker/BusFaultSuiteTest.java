package dev.herald.broker;

import dev.herald.runtime.DeadLetter;
import dev.herald.runtime.Messenger;
import dev.herald.runtime.RedisKeys;
import dev.herald.runtime.fixtures.Ledger;
import dev.herald.runtime.fixtures.RawRedis;
import dev.herald.runtime.fixtures.RedisProcess;
import dev.herald.runtime.stream.RedisClients;
import dev.herald.sdk.Money;
import dev.herald.sdk.OrderCreated;
import dev.herald.sdk.ServiceName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamRangeArgs;
import org.redisson.client.codec.StringCodec;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bus as it runs in production, each part a process of its own: a redis-server persisting
 * every write (AOF, {@code appendfsync always}), two brokers, two workers of {@code payment} and
 * one of {@code notification}, both listening to {@code order.created}, and a producer sending
 * all the time. Phase by phase one fault strikes while events flow — {@code kill -9} of a broker,
 * of a worker, of Redis itself (restarted on the same data), and Redis refusing writes at
 * {@code maxmemory} — and each phase's accounting is settled at the end: every acknowledged send
 * handled by both services or dead-lettered, none lost.
 */
class BusFaultSuiteTest {

    static final String NS = "suite";
    static final String[] SERVICES = {"payment", "notification"};

    @TempDir
    Path dir;

    RedisProcess redis;
    final Map<String, Process> nodes = new LinkedHashMap<>();

    @Test
    void nothingIsLostWhenBrokersWorkersAndRedisAreKilledOrRefuseWrites() throws Exception {
        redis = RedisProcess.start(Files.createDirectories(dir.resolve("redis")));
        RedissonClient client = RedisClients.create(redis.url());
        Messenger order = Messenger.builder().redisson(client).namespace(NS).service(ServiceName.ORDER).build();
        try {
            for (String node : List.of("broker-1", "broker-2")) {
                start(node, "broker");
            }
            start("payment-1", "worker", "payment");
            start("payment-2", "worker", "payment");
            start("notification-1", "worker", "notification");
            awaitReady();

            List<Ledger> phases = new ArrayList<>();
            phases.add(phase(order, "kill -9 of a broker (of two), restarted", () -> {
                kill("broker-1");
                sleep(1_000);
                start("broker-1", "broker");
            }));
            phases.add(phase(order, "kill -9 of a worker (of two for payment), restarted", () -> {
                kill("payment-1");
                sleep(1_000);
                start("payment-1", "worker", "payment");
            }));
            phases.add(phase(order, "kill -9 of Redis (AOF, appendfsync always) mid-pipeline, restarted", () -> {
                redis.kill();
                sleep(1_000);
                redis.restart();
            }));
            phases.add(phase(order, "Redis at maxmemory (noeviction) for 2 s", () -> {
                RawRedis.command(redis.port(), "CONFIG", "SET", "maxmemory", "1");
                sleep(2_000);
                RawRedis.command(redis.port(), "CONFIG", "SET", "maxmemory", "0");
            }));

            awaitSettled(client, phases);
            for (Ledger phase : phases) {
                account(client, phase);
                phase.settle("BusFaultSuiteTest (separate processes)", SERVICES);
            }
        } finally {
            nodes.values().forEach(Process::destroyForcibly);
            order.close();
            client.shutdown();
            redis.close();
        }
    }

    /** Sends for 4 s, strikes after 1.5 s; only sends Redis acknowledged go into the ledger. */
    Ledger phase(Messenger order, String fault, Runnable strike) throws InterruptedException {
        Ledger ledger = new Ledger(fault);
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread producer = new Thread(() -> {
            while (sending.get()) {
                try {
                    ledger.sent(order.send(anOrder()));
                } catch (RuntimeException refused) {
                    // not acknowledged: the producer would retry it; it is not counted as sent
                    sleep(50);
                }
                sleep(4);
            }
        }, "producer");
        producer.start();
        sleep(1_500);
        strike.run();
        sleep(2_500);
        sending.set(false);
        producer.join(30_000);
        assertThat(ledger.sentIds()).as("%s: the producer got events through", fault).isNotEmpty();
        return ledger;
    }

    /** Waits until every sent event of every phase is handled or dead-lettered by both services (or 120 s). */
    void awaitSettled(RedissonClient client, List<Ledger> phases) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < until) {
            boolean settled = true;
            for (String service : SERVICES) {
                java.util.Set<String> done = new java.util.HashSet<>(client.<String, String>getMap(NS + ":test:handled:" + service,
                        StringCodec.INSTANCE).readAllKeySet());
                deadLetters(client, new RedisKeys(NS).serviceDead(service)).forEach(d -> done.add(d.eventId()));
                deadLetters(client, new RedisKeys(NS).brokerDead()).forEach(d -> done.add(d.eventId()));
                for (Ledger phase : phases) {
                    settled &= done.containsAll(phase.sentIds());
                }
            }
            if (settled) {
                return;
            }
            sleep(250);
        }
    }

    void account(RedissonClient client, Ledger phase) {
        for (String service : SERVICES) {
            Map<String, String> counts = client.<String, String>getMap(NS + ":test:handled:" + service, StringCodec.INSTANCE).readAllMap();
            for (String id : phase.sentIds()) {
                int n = counts.containsKey(id) ? Integer.parseInt(counts.get(id)) : 0;
                for (int i = 0; i < n; i++) {
                    phase.handled(service, id);
                }
            }
            phase.deadLettered(service, deadLetters(client, new RedisKeys(NS).serviceDead(service)));
        }
        phase.deadLettered("broker", deadLetters(client, new RedisKeys(NS).brokerDead()));
    }

    static List<DeadLetter> deadLetters(RedissonClient client, String key) {
        List<DeadLetter> out = new ArrayList<>();
        client.<String, String>getStream(key, StringCodec.INSTANCE)
                .range(StreamRangeArgs.startId(StreamMessageId.MIN).endId(StreamMessageId.MAX))
                .forEach((id, f) -> out.add(DeadLetter.of(id.toString(), f)));
        return out;
    }

    void start(String name, String... args) {
        try {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), FaultSuiteNode.class.getName(), args[0], redis.url(), NS));
            cmd.addAll(List.of(args).subList(1, args.length));
            Path log = dir.resolve(name + ".log");
            nodes.put(name, new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    void kill(String name) {
        Process p = nodes.get(name);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void awaitReady() throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (String name : nodes.keySet()) {
            Path log = dir.resolve(name + ".log");
            while (!(Files.exists(log) && Files.readString(log).contains("ready"))) {
                assertThat(nodes.get(name).isAlive()).as("%s started (see its log: %s)", name,
                        Files.exists(log) ? Files.readString(log) : "none").isTrue();
                assertThat(System.nanoTime()).as("%s ready within 60 s", name).isLessThan(until);
                sleep(100);
            }
        }
    }

    static OrderCreated anOrder() {
        return OrderCreated.builder().orderId(UUID.randomUUID()).accountId(UUID.randomUUID())
                .items(List.of(new OrderCreated.Item("SKU-1234", 1, new Money(new BigDecimal("9.95"), "EUR"))))
                .total(new Money(new BigDecimal("9.95"), "EUR")).createdAt(Instant.now()).build();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
