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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Leases: a live worker keeps the entries whose handlers run, however slow; a handler timeout bounds a run. */
class WorkerLeaseTest {

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis();

    final List<Messenger> messengers = new ArrayList<>();

    @BeforeEach
    void flush() {
        redis.client().getKeys().flushall();
    }

    @AfterEach
    void close() {
        messengers.forEach(Messenger::close);
    }

    Messenger instance() {
        Messenger m = Messenger.builder().redisson(redis.client()).service(TestServices.WIDGETS).listensTo(TestEvents.WIDGET_CREATED).build();
        messengers.add(m);
        return m;
    }

    long pending(Messenger m) {
        return redis.client().getStream(m.keys().serviceStream("widgets"), StringCodec.INSTANCE).getPendingInfo(RedisKeys.WORKER_GROUP).getTotal();
    }

    @Test
    void aHandlerSlowerThanTheVisibilityTimeoutRunsOnceWhileItsWorkerLives() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Duration visibility = Duration.ofMillis(300);
        EventHandler<WidgetCreated> slow = (e, ctx) -> {
            runs.incrementAndGet();
            Thread.sleep(2_000); // nearly seven visibility timeouts
            return "done";
        };
        // two instances of the service compete; without leases the idle one claims the entry back
        Messenger first = instance();
        first.worker().visibilityTimeout(visibility).on(WidgetCreated.class, slow).start();
        String id = first.send(WidgetCreated.sample(1), SendOptions.NOTIFY_SELF);
        await().until(() -> runs.get() == 1);
        instance().worker().visibilityTimeout(visibility).on(WidgetCreated.class, slow).start();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(first.result(id)).isPresent());
        await().untilAsserted(() -> assertThat(pending(first)).isZero());
        assertThat(runs.get()).as("handler runs").isEqualTo(1);
    }

    @Test
    void aHandlerPastItsTimeoutIsInterruptedAndRetried() {
        AtomicInteger runs = new AtomicInteger();
        long started = System.nanoTime();
        Messenger m = instance();
        m.worker().handlerTimeout(Duration.ofMillis(200)).backoff(Duration.ofMillis(20), Duration.ofMillis(40))
                .on(WidgetCreated.class, (e, ctx) -> {
                    if (runs.incrementAndGet() == 1) {
                        Thread.sleep(30_000); // hangs, until interrupted
                    }
                    return "attempt " + ctx.attempt();
                }).start();
        String id = m.send(WidgetCreated.sample(1), SendOptions.NOTIFY_SELF);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(m.result(id)).isPresent());
        assertThat(runs.get()).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(m.deadLetters().size()).isZero();
    }
}
