package dev.herald.runtime;

import dev.herald.runtime.fixtures.SharedRedis;
import dev.herald.runtime.fixtures.TestEvents;
import dev.herald.runtime.fixtures.TestServices;
import dev.herald.runtime.fixtures.WidgetCreated;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker's writes refused by Redis (out of memory with noeviction, the default policy): the retry
 * or dead letter of a failed handler must not be acknowledged away, and must be written once.
 */
class WorkerFaultTest {

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis();
    Messenger widgets;



    @BeforeEach
    void messenger() {
        redis.client().getKeys().flushall();
        widgets = Messenger.builder().redisson(redis.client()).service(TestServices.WIDGETS).listensTo(TestEvents.WIDGET_CREATED).build();
    }

    @AfterEach
    void close() {
        redis.command("CONFIG", "SET", "maxmemory", "0");
        widgets.close();
    }

    long pending() {
        return redis.client().getStream(widgets.keys().serviceStream(widgets.service()), StringCodec.INSTANCE)
                .getPendingInfo(RedisKeys.WORKER_GROUP).getTotal();
    }

    /** Sends one event and fills Redis's memory while its handler runs, so that the handler's outcome meets a full Redis. */
    AtomicInteger runUnderMemoryPressure(RuntimeException firstFailure) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch memoryFull = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        widgets.worker().maxAttempts(3).backoff(Duration.ofMillis(50), Duration.ofMillis(100)).on(WidgetCreated.class, (e, ctx) -> {
            if (calls.incrementAndGet() == 1) {
                running.countDown();
                memoryFull.await();
                throw firstFailure;
            }
            return "ok";
        }).start();
        widgets.send(WidgetCreated.sample(1), SendOptions.NOTIFY_SELF);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        redis.command("CONFIG", "SET", "maxmemory", "1");
        memoryFull.countDown();
        return calls;
    }

    @Test
    void aDeadLetterRefusedForMemoryStaysPendingAndIsWrittenOnceMemoryIsFreed() throws Exception {
        AtomicInteger calls = runUnderMemoryPressure(new NonRetryableException("refused for good"));
        Thread.sleep(1_000);
        assertThat(pending()).as("not acknowledged while its dead letter cannot be written").isEqualTo(1);
        assertThat(widgets.deadLetters().size()).isZero();

        redis.command("CONFIG", "SET", "maxmemory", "0");
        await().untilAsserted(() -> assertThat(widgets.deadLetters().size()).isEqualTo(1));
        await().untilAsserted(() -> assertThat(pending()).isZero());
        Thread.sleep(500);
        assertThat(widgets.deadLetters().size()).as("written once, not once per round").isEqualTo(1);
        assertThat(widgets.deadLetters().list(1).get(0).reason()).isEqualTo("non-retryable");
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void aRetryRefusedForMemoryStaysPendingAndRunsOnceMemoryIsFreed() throws Exception {
        AtomicInteger calls = runUnderMemoryPressure(new IllegalStateException("database down"));
        Thread.sleep(1_000);
        assertThat(pending()).as("not acknowledged while its retry cannot be scheduled").isEqualTo(1);
        assertThat(calls.get()).isEqualTo(1);

        redis.command("CONFIG", "SET", "maxmemory", "0");
        await().untilAsserted(() -> assertThat(calls.get()).isEqualTo(2));
        await().untilAsserted(() -> assertThat(pending()).isZero());
        assertThat(widgets.deadLetters().size()).isZero();
    }

    @Test
    void handledEventsWhoseAcknowledgementAnAclRefusesAreAcknowledgedOnceItIsGrantedAndNotRunAgain() throws Exception {
        String user = "worker-acl";
        redis.command("ACL", "SETUSER", user, "reset", "on", ">secret", "~*", "&*", "+@all", "-xack");
        org.redisson.api.RedissonClient limited = dev.herald.runtime.stream.RedisClients.create("redis://" + user + ":secret@127.0.0.1:" + redis.port());
        dev.herald.runtime.fixtures.Ledger ledger = new dev.herald.runtime.fixtures.Ledger("ACL NOPERM on XACK (worker), then granted");
        try (Messenger limitedWidgets = Messenger.builder().redisson(limited).service(TestServices.WIDGETS).listensTo(TestEvents.WIDGET_CREATED).build()) {
            AtomicInteger runs = new AtomicInteger();
            limitedWidgets.worker().on(WidgetCreated.class, (e, ctx) -> {
                runs.incrementAndGet();
                ledger.handled("widgets", ctx.id());
                return null;
            }).start();
            for (int i = 0; i < 5; i++) {
                ledger.sent(widgets.send(WidgetCreated.sample(i + 1), SendOptions.NOTIFY_SELF));
            }
            await().untilAsserted(() -> assertThat(runs.get()).isEqualTo(5));
            Thread.sleep(1_000);
            assertThat(pending()).as("handled, but not acknowledged while XACK is refused").isEqualTo(5);

            redis.command("ACL", "SETUSER", user, "+xack");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pending()).isZero());
            assertThat(runs.get()).as("acknowledged later, never run again").isEqualTo(5);
            ledger.deadLettered("widgets", widgets.deadLetters().list(100));
            ledger.settle("WorkerFaultTest.handledEventsWhoseAcknowledgementAnAclRefusesAreAcknowledgedOnceItIsGrantedAndNotRunAgain", "widgets");
        } finally {
            limited.shutdown();
            redis.command("ACL", "DELUSER", user);
        }
    }

    @Test
    void handledTopicEntriesWhoseAcknowledgementAnAclRefusesAreAcknowledgedOnceItIsGrantedAndNotRunAgain() throws Exception {
        // the same fault on the path of most events: another service's event, read from its type's topic
        String user = "worker-acl-topic";
        redis.command("ACL", "SETUSER", user, "reset", "on", ">secret", "~*", "&*", "+@all", "-xack");
        org.redisson.api.RedissonClient limited = dev.herald.runtime.stream.RedisClients.create("redis://" + user + ":secret@127.0.0.1:" + redis.port());
        dev.herald.runtime.fixtures.Ledger ledger = new dev.herald.runtime.fixtures.Ledger("ACL NOPERM on XACK of a topic (worker), then granted");
        String topic = widgets.keys().topic("gadget.shipped");
        java.util.function.LongSupplier topicPending = () -> redis.client().getStream(topic, StringCodec.INSTANCE)
                .getPendingInfo(RedisKeys.topicGroup(TestServices.WIDGETS.wireName())).getTotal();
        try (Messenger limitedWidgets = Messenger.builder().redisson(limited).service(TestServices.WIDGETS).listensTo("gadget.shipped").build();
             Messenger gadgets = Messenger.builder().redisson(redis.client()).service("gadgets").build()) {
            AtomicInteger runs = new AtomicInteger();
            limitedWidgets.worker().on(dev.herald.runtime.fixtures.GadgetShipped.class, (e, ctx) -> {
                runs.incrementAndGet();
                ledger.handled("widgets", ctx.id());
                return null;
            }).start();
            limitedWidgets.register().join();
            for (int i = 0; i < 5; i++) {
                ledger.sent(gadgets.send(new dev.herald.runtime.fixtures.GadgetShipped("g-" + i, "dhl")));
            }
            await().untilAsserted(() -> assertThat(runs.get()).isEqualTo(5));
            Thread.sleep(1_000);
            assertThat(topicPending.getAsLong()).as("handled, but not acknowledged while XACK is refused").isEqualTo(5);

            redis.command("ACL", "SETUSER", user, "+xack");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(topicPending.getAsLong()).isZero());
            assertThat(runs.get()).as("acknowledged later, never run again").isEqualTo(5);
            ledger.deadLettered("widgets", widgets.deadLetters().list(100));
            ledger.settle("WorkerFaultTest.handledTopicEntriesWhoseAcknowledgement…", "widgets");
        } finally {
            limited.shutdown();
            redis.command("ACL", "DELUSER", user);
        }
    }
}
