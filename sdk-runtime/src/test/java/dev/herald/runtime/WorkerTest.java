package dev.herald.runtime;

import dev.herald.runtime.fixtures.SharedRedis;
import dev.herald.runtime.fixtures.TestEvents;
import dev.herald.runtime.fixtures.TestServices;
import dev.herald.runtime.fixtures.WidgetCreated;
import dev.herald.runtime.fixtures.WidgetDeleted;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Worker behaviour on a real Redis, without a broker: events reach the stream through notifySelf or raw XADD. */
class WorkerTest {

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis();
    final List<AutoCloseable> closeables = new ArrayList<>();



    @BeforeEach
    void flush() {
        redis.client().getKeys().flushall();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private Messenger widgets(RedissonClient c) {
        Messenger m = Messenger.builder().redisson(c).service(TestServices.WIDGETS).listensTo(TestEvents.WIDGET_CREATED).build();
        closeables.add(m);
        return m;
    }

    private RStream<String, String> stream(Messenger m) {
        return redis.client().getStream(m.keys().serviceStream(m.service()), StringCodec.INSTANCE);
    }

    @Test
    void aTypedHandlerGetsTheRecordAndContextAndItsResultIsKept() {
        Messenger m = widgets(redis.client());
        List<WidgetCreated> got = new CopyOnWriteArrayList<>();
        List<EventContext> ctxs = new CopyOnWriteArrayList<>();
        m.worker().on(WidgetCreated.class, (e, ctx) -> {
            got.add(e);
            ctxs.add(ctx);
            return Map.of("seen", e.widgetId());
        }).start();
        String id = m.send(WidgetCreated.sample(42), SendOptions.NOTIFY_SELF.withTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));

        await().untilAsserted(() -> assertThat(got).containsExactly(WidgetCreated.sample(42)));
        EventContext ctx = ctxs.get(0);
        assertThat(ctx.id()).isEqualTo(id);
        assertThat(ctx.type()).isEqualTo("widget.created");
        assertThat(ctx.version()).isEqualTo(2);
        assertThat(ctx.originService()).isEqualTo("widgets");
        assertThat(ctx.attempt()).isEqualTo(1);
        assertThat(ctx.time()).isNotNull();
        assertThat(ctx.traceparent()).isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(ctx.broadcast()).isFalse();
        await().untilAsserted(() -> assertThat(m.result(id)).hasValueSatisfying(r -> assertThat(r.get("seen").asText()).isEqualTo("w-42")));
    }

    @Test
    void aThrowRetriesWithBackoffThenDeadLettersAndReplayDeliversAgain() {
        Messenger m = widgets(redis.client());
        AtomicInteger calls = new AtomicInteger();
        Set<Integer> attempts = ConcurrentHashMap.newKeySet();
        List<Long> times = new CopyOnWriteArrayList<>();
        boolean[] healed = {false};
        m.worker().maxAttempts(3).backoff(Duration.ofMillis(100), Duration.ofSeconds(1)).on(WidgetCreated.class, (e, ctx) -> {
            calls.incrementAndGet();
            attempts.add(ctx.attempt());
            times.add(System.nanoTime());
            if (!healed[0]) {
                throw new IllegalStateException("database down");
            }
            return "ok";
        }).start();
        String id = m.send(WidgetCreated.sample(1), SendOptions.NOTIFY_SELF);

        await().untilAsserted(() -> assertThat(m.deadLetters().list(10)).hasSize(1));
        assertThat(calls.get()).isEqualTo(3);
        assertThat(attempts).containsExactlyInAnyOrder(1, 2, 3);
        // backoff: >= 50 ms before attempt 2 (100 ms with equal jitter), >= 100 ms before attempt 3
        assertThat(TimeUnit.NANOSECONDS.toMillis(times.get(1) - times.get(0))).isGreaterThanOrEqualTo(50);
        assertThat(TimeUnit.NANOSECONDS.toMillis(times.get(2) - times.get(1))).isGreaterThanOrEqualTo(100);
        DeadLetter dl = m.deadLetters().list(10).get(0);
        assertThat(dl.eventId()).isEqualTo(id);
        assertThat(dl.reason()).isEqualTo("handler-failed");
        assertThat(dl.error()).contains("IllegalStateException").contains("database down");
        assertThat(dl.attempts()).isEqualTo(3);

        healed[0] = true;
        assertThat(m.deadLetters().replay(dl.id())).isTrue();
        await().untilAsserted(() -> assertThat(m.result(id)).isPresent());
        assertThat(calls.get()).isEqualTo(4);
        assertThat(m.deadLetters().size()).isZero();
        assertThat(m.deadLetters().replay(dl.id())).isFalse();
    }

    @Test
    void aNonRetryableExceptionDeadLettersAtOnce() {
        Messenger m = widgets(redis.client());
        AtomicInteger calls = new AtomicInteger();
        m.worker().maxAttempts(5).on(WidgetCreated.class, (e, ctx) -> {
            calls.incrementAndGet();
            throw new NonRetryableException("widget refused for good");
        }).start();
        m.send(WidgetCreated.sample(1), SendOptions.NOTIFY_SELF);
        await().untilAsserted(() -> assertThat(m.deadLetters().list(10)).singleElement()
                .satisfies(d -> {
                    assertThat(d.reason()).isEqualTo("non-retryable");
                    assertThat(d.error()).contains("widget refused for good");
                    assertThat(d.attempts()).isEqualTo(1);
                }));
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void exceptionTypesRegisteredAsNonRetryableDeadLetterAtOnceOthersRetry() {
        Messenger m = widgets(redis.client());
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        m.worker().maxAttempts(2).backoff(Duration.ofMillis(20), Duration.ofMillis(40))
                .nonRetryable(List.of(IllegalArgumentException.class))
                .on(WidgetCreated.class, (e, ctx) -> {
                    calls.computeIfAbsent(e.widgetId(), k -> new AtomicInteger()).incrementAndGet();
                    if (e.widgetId().equals("w-1")) {
                        throw new IllegalArgumentException("bad widget");
                    }
                    throw new IllegalStateException("flaky");
                }).start();
        m.send(WidgetCreated.sample(1), SendOptions.NOTIFY_SELF);
        m.send(WidgetCreated.sample(2), SendOptions.NOTIFY_SELF);
        await().untilAsserted(() -> assertThat(m.deadLetters().list(10)).extracting(DeadLetter::reason)
                .containsExactlyInAnyOrder("non-retryable", "handler-failed"));
        assertThat(calls.get("w-1").get()).isEqualTo(1);
        assertThat(calls.get("w-2").get()).isEqualTo(2);
    }

    @Test
    void entriesThatDoNotParseDeserializeOrValidateAreDeadLetteredWithTheReason() {
        Messenger m = widgets(redis.client());
        List<Object> handled = new CopyOnWriteArrayList<>();
        m.worker().on(WidgetCreated.class, (e, ctx) -> handled.add(e)).start();
        RStream<String, String> s = stream(m);
        String envelope = "{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"herald:service/widgets\",\"type\":\"%s\","
                + "\"dataschema\":\"herald:%s/v2\",\"datacontenttype\":\"application/json\",\"data\":%s}";
        s.add(StreamAddArgs.entry("event", "{garbage"));
        s.add(StreamAddArgs.entry("other", "x"));
        s.add(StreamAddArgs.entry("event", String.format(envelope, "e1", "widget.created", "widget.created", "{\"widgetId\":\"w-1\",\"name\":\"n\",\"price\":\"not an object\"}")));
        s.add(StreamAddArgs.entry("event", String.format(envelope, "e2", "widget.created", "widget.created", "{\"widgetId\":\"bad id\",\"name\":\"n\",\"price\":{\"currency\":\"EUR\",\"cents\":1}}")));
        s.add(StreamAddArgs.entry("event", String.format(envelope, "e3", "widget.deleted", "widget.deleted", "{\"widgetId\":\"w-1\"}")));
        s.add(StreamAddArgs.entry("event", String.format(envelope, "e4", "widget.created", "widget.created", "{\"widgetId\":\"w-4\",\"name\":\"n\",\"price\":{\"currency\":\"EUR\",\"cents\":1}}")));

        await().untilAsserted(() -> assertThat(m.deadLetters().list(10)).hasSize(5));
        assertThat(m.deadLetters().list(10)).extracting(DeadLetter::reason)
                .containsExactlyInAnyOrder("malformed", "malformed", "undeserializable", "invalid", "no-handler");
        assertThat(m.deadLetters().list(10)).filteredOn(d -> d.reason().equals("invalid")).singleElement()
                .satisfies(d -> assertThat(d.error()).contains("widgetId: must match"));
        assertThat(m.deadLetters().list(10)).filteredOn(d -> d.reason().equals("no-handler")).singleElement()
                .satisfies(d -> assertThat(d.type()).isEqualTo("widget.deleted"));
        assertThat(handled).hasSize(1);
    }

    @Test
    void withoutValidationOnReceiptAnInvalidRecordReachesItsHandler() {
        // for deployments whose ACL users let only the owner's SDK (which validated at send) write the streams
        Messenger m = widgets(redis.client());
        List<WidgetCreated> handled = new CopyOnWriteArrayList<>();
        m.worker().validateOnReceipt(false).on(WidgetCreated.class, (e, ctx) -> handled.add(e)).start();
        stream(m).add(StreamAddArgs.entry("event", "{\"specversion\":\"1.0\",\"id\":\"e9\",\"source\":\"herald:service/widgets\","
                + "\"type\":\"widget.created\",\"dataschema\":\"herald:widget.created/v2\",\"datacontenttype\":\"application/json\","
                + "\"data\":{\"widgetId\":\"bad id\",\"name\":\"n\",\"price\":{\"currency\":\"EUR\",\"cents\":1}}}"));
        await().untilAsserted(() -> assertThat(handled).extracting(WidgetCreated::widgetId).containsExactly("bad id"));
        assertThat(m.deadLetters().size()).isZero();
    }

    @Test
    void entriesOfAWorkerThatDiedAreClaimedBackAndFinishedByAnother() throws Exception {
        RedissonClient doomedClient = dev.herald.runtime.stream.RedisClients.create(redis.url());
        Messenger doomed = Messenger.builder().redisson(doomedClient).service("widgets").listensTo("widget.*").build();
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        doomed.worker().concurrency(1).on(WidgetCreated.class, (e, ctx) -> {
            stuck.countDown();
            release.await();
            return null;
        }).start();
        Messenger m = widgets(redis.client());
        String id = m.send(WidgetCreated.sample(5), SendOptions.NOTIFY_SELF);
        assertThat(stuck.await(10, TimeUnit.SECONDS)).isTrue();
        // the process "dies" mid-event: its connection goes away without an acknowledgement
        doomedClient.shutdown(0, 0, TimeUnit.MILLISECONDS);

        List<EventContext> finished = new CopyOnWriteArrayList<>();
        m.worker().visibilityTimeout(Duration.ofMillis(500)).on(WidgetCreated.class, (e, ctx) -> finished.add(ctx)).start();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(finished).extracting(EventContext::id).containsExactly(id));
        release.countDown();
        await().untilAsserted(() -> assertThat(stream(m).getPendingInfo(RedisKeys.WORKER_GROUP).getTotal()).isZero());
        doomed.close();
    }

    @Test
    void closeDrainsInFlightWork() {
        Messenger m = widgets(redis.client());
        AtomicInteger done = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(3);
        Worker w = m.worker().concurrency(3).on(WidgetCreated.class, (e, ctx) -> {
            started.countDown();
            started.await();
            Thread.sleep(300); // simulated work, not synchronisation
            return done.incrementAndGet();
        }).start();
        for (int i = 0; i < 3; i++) {
            m.send(WidgetCreated.sample(i), SendOptions.NOTIFY_SELF);
        }
        await().until(() -> w.inFlight() == 3);
        w.close();
        assertThat(done.get()).isEqualTo(3);
        assertThat(stream(m).getPendingInfo(RedisKeys.WORKER_GROUP).getTotal()).isZero();
    }

    @Test
    void enableWorkersFalseSendsButNeverConsumes() {
        Messenger canary = Messenger.builder().redisson(redis.client()).service("widgets").listensTo("widget.*").enableWorkers(false).build();
        closeables.add(canary);
        AtomicInteger canaryCalls = new AtomicInteger();
        Worker inert = canary.worker().on(WidgetCreated.class, (e, ctx) -> canaryCalls.incrementAndGet()).start();
        assertThat(inert.consuming()).isFalse();
        canary.send(WidgetCreated.sample(1), SendOptions.NOTIFY_SELF);
        canary.send(WidgetCreated.sample(2), SendOptions.NOTIFY_SELF);

        Messenger m = widgets(redis.client());
        List<String> got = new CopyOnWriteArrayList<>();
        m.worker().on(WidgetCreated.class, (e, ctx) -> got.add(e.widgetId())).start();
        await().untilAsserted(() -> assertThat(got).containsExactlyInAnyOrder("w-1", "w-2"));
        assertThat(canaryCalls.get()).isZero();
    }

    @Test
    void twoWorkersCompeteAndEachEventIsHandledOnce() {
        Messenger a = widgets(redis.client());
        RedissonClient second = dev.herald.runtime.stream.RedisClients.create(redis.url());
        closeables.add(second::shutdown);
        Messenger b = widgets(second);
        Map<String, String> byWorker = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        a.worker().on(WidgetCreated.class, (e, ctx) -> byWorker.put(ctx.id(), "a") != null ? duplicates.incrementAndGet() : 0).start();
        b.worker().on(WidgetCreated.class, (e, ctx) -> byWorker.put(ctx.id(), "b") != null ? duplicates.incrementAndGet() : 0).start();
        List<WidgetCreated> events = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            events.add(WidgetCreated.sample(i));
        }
        a.sendAll(events, SendOptions.NOTIFY_SELF);
        await().untilAsserted(() -> assertThat(byWorker).hasSize(1000));
        assertThat(duplicates.get()).isZero();
        assertThat(byWorker.values()).contains("a", "b");
        // acknowledged entries are trimmed away from the service stream
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stream(a).size()).isZero());
    }

    @Test
    void broadcastReachesEveryLiveInstanceOfAListeningService() {
        Messenger sender = Messenger.builder().redisson(redis.client()).service("widgets").build();
        closeables.add(sender);
        List<String> seen = new CopyOnWriteArrayList<>();
        for (String name : List.of("one", "two")) {
            Messenger audit = Messenger.builder().redisson(redis.client()).service("audit").listensTo("widget.*").build();
            closeables.add(audit);
            audit.worker().on(WidgetDeleted.class, (e, ctx) -> seen.add(name + ":" + e.widgetId() + ":" + ctx.broadcast())).start();
        }
        Messenger billing = Messenger.builder().redisson(redis.client()).service("billing").listensTo("gadget.*").build();
        closeables.add(billing);
        billing.worker().on(WidgetDeleted.class, (e, ctx) -> seen.add("billing")).start();

        await().untilAsserted(() -> {
            seen.clear();
            sender.broadcast(new WidgetDeleted("w-9"));
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(seen).containsExactlyInAnyOrder("one:w-9:true", "two:w-9:true"));
        });
        assertThat(seen).doesNotContain("billing");
    }
}
