package dev.herald.runtime;

import dev.herald.runtime.fixtures.SharedRedis;
import dev.herald.runtime.fixtures.TestEvents;
import dev.herald.runtime.fixtures.TestServices;
import dev.herald.runtime.fixtures.WidgetCreated;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.client.codec.StringCodec;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event whose handler kills its worker process every time (a separate JVM, halted, restarted
 * like a supervisor would) is dead-lettered as {@code delivery-limit} after {@code maxDeliveries}
 * deliveries instead of being claimed back forever.
 */
class WorkerDeliveryLimitTest {

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis();

    static final int MAX_DELIVERIES = 3;

    @Test
    void anEventThatCrashesItsWorkerEveryTimeIsDeadLetteredAfterTheDeliveryLimit() throws Exception {
        try (Messenger widgets = Messenger.builder().redisson(redis.client()).service(TestServices.WIDGETS)
                .listensTo(TestEvents.WIDGET_CREATED).enableWorkers(false).build()) {
            widgets.register().join();
            String id = widgets.send(WidgetCreated.sample(1), SendOptions.NOTIFY_SELF);

            List<Integer> exits = new ArrayList<>();
            for (int run = 0; run <= MAX_DELIVERIES && widgets.deadLetters().size() == 0; run++) {
                Process worker = startWorker();
                if (worker.waitFor(30, TimeUnit.SECONDS)) {
                    exits.add(worker.exitValue());
                } else {
                    // it did not crash: this run dead-lettered the event instead of running it
                    awaitDeadLetter(widgets);
                    worker.destroyForcibly().waitFor();
                }
            }
            assertThat(exits).as("the handler halted the JVM on each of the first deliveries").containsExactly(3, 3, 3);
            List<DeadLetter> dead = widgets.deadLetters().list(10);
            assertThat(dead).singleElement().satisfies(d -> {
                assertThat(d.eventId()).isEqualTo(id);
                assertThat(d.reason()).isEqualTo(DeadLetter.Reason.DELIVERY_LIMIT.wire());
                assertThat(d.error()).contains("delivered 4 times").contains("max deliveries 3");
            });
            assertThat(redis.client().getStream(widgets.keys().serviceStream("widgets"), StringCodec.INSTANCE)
                    .getPendingInfo(RedisKeys.WORKER_GROUP).getTotal()).as("acknowledged once dead-lettered").isZero();
            System.out.printf("delivery limit (worker): sent 1, handled 0, crashes %d, dead-lettered %d, lost 0%n", exits.size(), dead.size());
        }
    }

    private static void awaitDeadLetter(Messenger widgets) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (widgets.deadLetters().size() == 0 && System.nanoTime() < until) {
            Thread.sleep(50);
        }
    }

    private static Process startWorker() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createTempFile("halting-worker", ".log");
        log.toFile().deleteOnExit();
        return new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                HaltingWorker.class.getName(), redis.url(), Integer.toString(MAX_DELIVERIES))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
