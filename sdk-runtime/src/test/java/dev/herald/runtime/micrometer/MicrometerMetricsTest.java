package dev.herald.runtime.micrometer;

import dev.herald.runtime.Catalog;
import dev.herald.runtime.EventValidationException;
import dev.herald.runtime.Messenger;
import dev.herald.runtime.NonRetryableException;
import dev.herald.runtime.SendOptions;
import dev.herald.runtime.fixtures.GadgetShipped;
import dev.herald.runtime.fixtures.SharedRedis;
import dev.herald.runtime.fixtures.TestEvents;
import dev.herald.runtime.fixtures.TestServices;
import dev.herald.runtime.fixtures.WidgetCreated;
import dev.herald.runtime.stream.BusState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The meters a messenger and its workers record, counted against what the test did on a real
 * Redis: sends, refusals by reason, handler runs and their time, failures retried or not, dead
 * letters by reason; and the gauges of what a service has waiting.
 */
class MicrometerMetricsTest {

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis();

    @Test
    void sendsHandlingFailuresAndDeadLettersAreCountedAsTheyHappen() {
        redis.client().getKeys().flushall();
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Messenger widgets = Messenger.builder().redisson(redis.client()).service(TestServices.WIDGETS)
                .listensTo(TestEvents.WIDGET_CREATED).metrics(new MicrometerMetrics(registry)).heartbeat(Duration.ofMillis(200)).build()) {
            Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
            widgets.worker().maxAttempts(3).backoff(Duration.ofMillis(20), Duration.ofMillis(50)).on(WidgetCreated.class, (e, ctx) -> {
                int n = calls.computeIfAbsent(e.widgetId(), k -> new AtomicInteger()).incrementAndGet();
                if (e.widgetId().equals("w-2") && n == 1) {
                    throw new IllegalStateException("fails once, then works");
                }
                if (e.widgetId().equals("w-3")) {
                    throw new NonRetryableException("never works");
                }
                Thread.sleep(5);
                return "ok";
            }).start();
            widgets.register().join();
            for (int i = 1; i <= 4; i++) {
                widgets.send(WidgetCreated.sample(i), SendOptions.NOTIFY_SELF);
            }
            assertThatThrownBy(() -> widgets.send(new WidgetCreated("bad id", "x", WidgetCreated.sample(1).price(), null)))
                    .isInstanceOf(EventValidationException.class);
            assertThatThrownBy(() -> widgets.send(new GadgetShipped("g-1", "dhl"))).isInstanceOf(EventValidationException.class);

            String type = TestEvents.WIDGET_CREATED.wireName();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(registry.get(MicrometerMetrics.HANDLED).tags("service", "widgets", "type", type).timer().count())
                        .as("w-1, w-2 (second attempt), w-4").isEqualTo(3);
                assertThat(registry.get(MicrometerMetrics.DEAD_LETTERED).tags("reason", "non-retryable").counter().count()).isEqualTo(1);
            });
            assertThat(registry.get(MicrometerMetrics.SENT).tags("service", "widgets", "type", type).counter().count()).isEqualTo(4);
            assertThat(registry.get(MicrometerMetrics.SEND_REFUSED).tags("reason", "invalid").counter().count()).isEqualTo(1);
            assertThat(registry.get(MicrometerMetrics.SEND_REFUSED).tags("reason", "wrong-owner", "type", "gadget.shipped").counter().count())
                    .isEqualTo(1);
            assertThat(registry.get(MicrometerMetrics.FAILED).tags("retried", "true").counter().count()).isEqualTo(1);
            assertThat(registry.get(MicrometerMetrics.FAILED).tags("retried", "false").counter().count()).isEqualTo(1);
            assertThat(registry.get(MicrometerMetrics.HANDLED).timer().totalTime(TimeUnit.MILLISECONDS))
                    .as("each handler slept 5 ms").isGreaterThanOrEqualTo(15);
            assertThat(registry.get(MicrometerMetrics.LATENCY).tags("service", "widgets").timer().count()).isEqualTo(3);

            // the gauges, from a reading of what widgets has waiting
            BusGauges gauges = new BusGauges(registry);
            await().untilAsserted(() -> {
                Map<String, BusState.Service> state = new BusState(redis.client(), new dev.herald.runtime.RedisKeys("herald"), Catalog.fromClasspath()).read();
                gauges.update(state);
                assertThat(registry.get(BusGauges.DEAD_LETTERS).tags("service", "widgets").gauge().value()).isEqualTo(1);
                assertThat(registry.get(BusGauges.INSTANCES).tags("service", "widgets").gauge().value()).isEqualTo(1);
                assertThat(registry.get(BusGauges.PENDING).tags("service", "widgets").gauge().value()).isZero();
                assertThat(state.get("widgets").handled()).as("the heartbeat's count").isEqualTo(3);
            });
        }
    }
}
