package dev.herald.runtime;

import dev.herald.runtime.fixtures.SharedRedis;
import dev.herald.runtime.fixtures.TestEvents;
import dev.herald.runtime.fixtures.TestServices;
import dev.herald.runtime.fixtures.WidgetCreated;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The delivery rule for low rates: an entry read alone while no handler runs is processed on the
 * reading thread once handling is known to be quick — never before its pace is known, never with a
 * handler timeout (which interrupts the handler's thread), and not again soon after a slow run.
 * Events are sent one at a time, each after the previous one's result, so that every read finds one.
 */
class WorkerInlineTest {

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis();

    Messenger messenger;

    @BeforeEach
    void start() {
        redis.client().getKeys().flushall();
        messenger = Messenger.builder().redisson(redis.client()).service(TestServices.WIDGETS).listensTo(TestEvents.WIDGET_CREATED).build();
    }

    @AfterEach
    void close() {
        messenger.close();
    }

    /** Sends {@code n} events one after another; each one's result must arrive (nothing lost) before the next is sent. */
    private void sendOneByOne(int n) {
        for (int i = 0; i < n; i++) {
            String id = messenger.send(WidgetCreated.sample(i), SendOptions.NOTIFY_SELF);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> messenger.result(id).isPresent());
        }
    }

    private static long onReadingThreads(List<String> threads) {
        return threads.stream().filter(t -> t.startsWith("herald-fetch-")).count();
    }

    @Test
    void aQuickHandlerAtALowRateRunsOnTheReadingThreadOnceItsPaceIsKnown() {
        List<String> threads = new CopyOnWriteArrayList<>();
        messenger.worker().inlineBelow(Duration.ofMillis(50)).on(WidgetCreated.class, (e, ctx) -> {
            threads.add(Thread.currentThread().getName());
            return "ok";
        }).start();

        sendOneByOne(300);

        assertThat(threads).hasSize(300);
        assertThat(threads.get(0)).as("the first run: its pace is not known yet").startsWith("herald-handler-");
        assertThat(onReadingThreads(threads)).as("runs on the reading thread, of 300").isPositive();
        assertThat(threads).allMatch(t -> t.startsWith("herald-handler-") || t.startsWith("herald-fetch-"));
    }

    @Test
    void withAHandlerTimeoutEveryRunIsOnAHandlerThread() {
        List<String> threads = new CopyOnWriteArrayList<>();
        messenger.worker().inlineBelow(Duration.ofMillis(50)).handlerTimeout(Duration.ofSeconds(5)).on(WidgetCreated.class, (e, ctx) -> {
            threads.add(Thread.currentThread().getName());
            return "ok";
        }).start();

        sendOneByOne(300);

        assertThat(threads).hasSize(300).allMatch(t -> t.startsWith("herald-handler-"));
    }

    @Test
    void aSlowRunSendsTheNextDeliveriesBackToHandlerThreads() {
        List<String> threads = new CopyOnWriteArrayList<>();
        AtomicBoolean slowNext = new AtomicBoolean();
        messenger.worker().inlineBelow(Duration.ofMillis(20)).on(WidgetCreated.class, (e, ctx) -> {
            if (slowNext.getAndSet(false)) {
                Thread.sleep(2_000);
            }
            threads.add(Thread.currentThread().getName());
            return "ok";
        }).start();
        sendOneByOne(300);
        assertThat(onReadingThreads(threads.subList(200, 300))).as("learnt: quick").isPositive();

        threads.clear();
        slowNext.set(true); // the next event sleeps 2 s
        sendOneByOne(11);

        // 2 s weigh 1/16 in the average: 125 ms; each later event decays it twice (its own entry and
        // the topic's copy of what this service sent, skipped quickly): still ~30 ms after ten events
        assertThat(threads).hasSize(11);
        assertThat(threads.subList(1, 11)).allMatch(t -> t.startsWith("herald-handler-"));
    }

    @Test
    void aZeroThresholdAlwaysHandsOff() {
        List<String> threads = new CopyOnWriteArrayList<>();
        messenger.worker().inlineBelow(Duration.ZERO).on(WidgetCreated.class, (e, ctx) -> {
            threads.add(Thread.currentThread().getName());
            return "ok";
        }).start();

        sendOneByOne(300);

        assertThat(threads).hasSize(300).allMatch(t -> t.startsWith("herald-handler-"));
    }
}
