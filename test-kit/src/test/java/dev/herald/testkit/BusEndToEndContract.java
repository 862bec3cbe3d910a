package dev.herald.testkit;

import dev.herald.broker.Broker;
import dev.herald.runtime.DeadLetter;
import dev.herald.runtime.EventContext;
import dev.herald.runtime.Messenger;
import dev.herald.runtime.RedisKeys;
import dev.herald.runtime.SendOptions;
import dev.herald.runtime.fixtures.GadgetShipped;
import dev.herald.runtime.fixtures.TestEvents;
import dev.herald.runtime.fixtures.TestServices;
import dev.herald.runtime.fixtures.WidgetCreated;
import dev.herald.runtime.fixtures.WidgetDeleted;
import org.junit.jupiter.api.Test;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bus end to end: messengers, workers and the broker on a real (embedded) Redis, through the
 * test kit; run on one server ({@link BusEndToEndTest}) and on a local Redis Cluster
 * ({@link BusEndToEndClusterTest}).
 */
abstract class BusEndToEndContract {

    /** The extension of the concrete class (a single server or a cluster). */
    abstract HeraldExtension herald();

    private static String envelope(String id, String source, String type, int version, String data) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"" + source + "\",\"type\":\"" + type
                + "\",\"dataschema\":\"herald:" + type + "/v" + version + "\",\"time\":\"2026-11-22T10:00:00Z\","
                + "\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
    }

    /** A valid widget.created, as a producer without the SDK writes it into the inbox, one pipeline for all. */
    private List<String> toInbox(String idPrefix, int n) {
        org.redisson.api.RBatch batch = herald().redisson().createBatch();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = idPrefix + "-" + i;
            batch.getStream(herald().broker().keys().inbox(), StringCodec.INSTANCE).addAsync(StreamAddArgs.entry("event",
                    envelope(id, "herald:service/widgets", "widget.created", 2,
                            "{\"widgetId\":\"w-" + i + "\",\"name\":\"n\",\"price\":{\"currency\":\"EUR\",\"cents\":1}}")));
            ids.add(id);
        }
        batch.execute();
        return ids;
    }

    @Test
    void registerSendAndReceiveTyped() {
        Messenger audit = herald().messenger(TestServices.AUDIT, TestEvents.WIDGET_CREATED);
        List<WidgetCreated> got = new CopyOnWriteArrayList<>();
        List<EventContext> ctxs = new CopyOnWriteArrayList<>();
        audit.worker().on(WidgetCreated.class, (e, ctx) -> {
            got.add(e);
            ctxs.add(ctx);
            return "audited " + e.widgetId();
        }).start();
        audit.register().join();

        String id = herald().messenger(TestServices.WIDGETS).send(WidgetCreated.sample(7));

        await().untilAsserted(() -> assertThat(got).containsExactly(WidgetCreated.sample(7)));
        assertThat(ctxs.get(0).id()).isEqualTo(id);
        assertThat(ctxs.get(0).originService()).isEqualTo("widgets");
        assertThat(ctxs.get(0).service()).isEqualTo("audit");
        await().untilAsserted(() -> assertThat(audit.result(id)).hasValueSatisfying(r -> assertThat(r.asText()).isEqualTo("audited w-7")));
    }

    @Test
    void theSenderNeverGetsItsOwnEventUnlessNotifySelf() {
        Messenger widgets = herald().messenger("widgets", "widget.*");
        Messenger audit = herald().messenger("audit", "widget.*");
        List<String> atWidgets = new CopyOnWriteArrayList<>();
        List<String> atAudit = new CopyOnWriteArrayList<>();
        widgets.worker().on(WidgetCreated.class, (e, ctx) -> atWidgets.add(e.widgetId())).start();
        audit.worker().on(WidgetCreated.class, (e, ctx) -> atAudit.add(e.widgetId())).start();
        widgets.register().join();
        audit.register().join();

        widgets.send(WidgetCreated.sample(1));
        widgets.send(WidgetCreated.sample(2), SendOptions.NOTIFY_SELF);

        await().untilAsserted(() -> assertThat(atAudit).containsExactlyInAnyOrder("w-1", "w-2"));
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(atWidgets).containsExactly("w-2"));
    }

    @Test
    void wildcardListenersReceiveEveryMatchingEvent() {
        Map<String, List<String>> seen = new ConcurrentHashMap<>();
        for (String[] s : new String[][] {{"audit", "widget.*"}, {"billing", "**"}, {"gadgets", "gadget.*"}}) {
            Messenger m = herald().messenger(s[0], s[1]);
            m.worker().onAny((env, ctx) -> seen.computeIfAbsent(s[0], k -> new CopyOnWriteArrayList<>()).add(env.type())).start();
            m.register().join();
        }
        Messenger widgets = herald().messenger("widgets");
        widgets.send(WidgetCreated.sample(1));
        widgets.send(new WidgetDeleted("w-1"));
        herald().messenger("gadgets").send(new GadgetShipped("g-1", "dhl"));

        await().untilAsserted(() -> {
            assertThat(seen.get("audit")).containsExactlyInAnyOrder("widget.created", "widget.deleted");
            assertThat(seen.get("billing")).containsExactlyInAnyOrder("widget.created", "widget.deleted", "gadget.shipped");
        });
        // gadgets listens to gadget.* but sent the only gadget event itself
        await().during(Duration.ofMillis(500)).untilAsserted(() -> assertThat(seen).doesNotContainKey("gadgets"));
    }

    @Test
    void threeWorkerProcessesShare10000EventsAndEachIsHandledExactlyOnce() {
        Map<String, AtomicInteger> handledTimes = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> perWorker = new ConcurrentHashMap<>();
        for (int w = 0; w < 3; w++) {
            String name = "worker-" + w;
            RedissonClient process = herald().newClient();
            Messenger billing = herald().closeAfterTest(Messenger.builder().redisson(process).service("billing").listensTo("widget.created").build());
            billing.worker().concurrency(8).on(WidgetCreated.class, (e, ctx) -> {
                handledTimes.computeIfAbsent(ctx.id(), k -> new AtomicInteger()).incrementAndGet();
                perWorker.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                return null;
            }).start();
            if (w == 0) {
                billing.register().join();
            }
        }
        Messenger widgets = herald().messenger("widgets");
        Set<String> sent = new HashSet<>();
        List<WidgetCreated> batch = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            batch.add(WidgetCreated.sample(i));
            if (batch.size() == 1000) {
                sent.addAll(widgets.sendAll(batch));
                batch.clear();
            }
        }
        assertThat(sent).hasSize(10_000);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(handledTimes).hasSize(10_000));
        await().during(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(handledTimes.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1)));
        assertThat(handledTimes.keySet()).isEqualTo(sent);
        assertThat(perWorker).hasSize(3).allSatisfy((w, n) -> assertThat(n.get()).isPositive());
    }

    @Test
    void retriesThenDeadLetterThenReplayThroughTheBroker() {
        Messenger billing = herald().messenger("billing", "widget.created");
        AtomicInteger calls = new AtomicInteger();
        boolean[] fixed = {false};
        billing.worker().maxAttempts(3).backoff(Duration.ofMillis(50), Duration.ofMillis(200)).on(WidgetCreated.class, (e, ctx) -> {
            calls.incrementAndGet();
            if (!fixed[0]) {
                throw new IllegalStateException("payment provider down");
            }
            return "paid";
        }).start();
        billing.register().join();
        String id = herald().messenger("widgets").send(WidgetCreated.sample(3));

        await().untilAsserted(() -> assertThat(billing.deadLetters().list(10)).singleElement().satisfies(d -> {
            assertThat(d.eventId()).isEqualTo(id);
            assertThat(d.attempts()).isEqualTo(3);
            assertThat(d.error()).contains("payment provider down");
        }));
        assertThat(calls.get()).isEqualTo(3);
        fixed[0] = true;
        assertThat(billing.deadLetters().replayAll()).isEqualTo(1);
        await().untilAsserted(() -> assertThat(billing.result(id)).isPresent());
        assertThat(billing.deadLetters().size()).isZero();
    }

    @Test
    void aBrokerStoppedAndRestartedMidStreamLosesNothing() throws Exception {
        Messenger billing = herald().messenger("billing", "widget.created");
        Set<String> got = ConcurrentHashMap.newKeySet();
        billing.worker().on(WidgetCreated.class, (e, ctx) -> got.add(ctx.id())).start();
        billing.register().join();
        Set<String> sent = ConcurrentHashMap.newKeySet();
        java.util.concurrent.CountDownLatch brokerStopped = new java.util.concurrent.CountDownLatch(1);
        Thread producer = new Thread(() -> {
            for (int b = 0; b < 30; b++) {
                if (b == 15) {
                    try {
                        brokerStopped.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                // a producer without the SDK: its events pass through the inbox and a broker
                sent.addAll(toInbox("b" + b, 100));
            }
        });
        producer.start();
        await().until(() -> got.size() > 200);
        herald().stopBroker(); // while it is routing the first 1,500
        brokerStopped.countDown();
        int atStop = got.size();
        producer.join();
        assertThat(sent).hasSize(3000);
        // events keep collecting in the inbox while no broker runs
        assertThat(herald().redisson().getStream(herald().broker().keys().inbox(), StringCodec.INSTANCE).size()).isGreaterThanOrEqualTo(1500);
        assertThat(got.size()).isLessThanOrEqualTo(1500).isGreaterThanOrEqualTo(atStop);
        // SDK senders write the topics themselves: no broker is needed for their events
        String direct = herald().messenger("widgets").send(WidgetCreated.sample(9999));
        sent.add(direct);
        await().untilAsserted(() -> assertThat(got).contains(direct));
        herald().startBroker();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(got).hasSize(3001));
        assertThat(got).isEqualTo(sent);
    }

    @Test
    void inboxEntriesOfABrokerThatCrashedAreClaimedBack() {
        Messenger billing = herald().messenger("billing", "widget.created");
        List<String> got = new CopyOnWriteArrayList<>();
        billing.worker().on(WidgetCreated.class, (e, ctx) -> got.add(ctx.id())).start();
        billing.register().join();
        herald().stopBroker();
        String id = toInbox("crashed", 1).get(0);
        // a broker reads the entry, then dies before routing and acknowledging it
        RStream<String, String> inbox = herald().redisson().getStream(herald().broker().keys().inbox(), StringCodec.INSTANCE);
        dev.herald.runtime.stream.ConsumerGroup.ensure(herald().redisson(), herald().broker().keys().inbox(), RedisKeys.BROKER_GROUP);
        assertThat(inbox.readGroup(RedisKeys.BROKER_GROUP, "crashed-broker", StreamReadGroupArgs.neverDelivered().count(10))).hasSize(1);

        herald().startBroker(); // claims entries idle for more than 2 s (the test kit's claimIdle)
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(got).containsExactly(id));
        assertThat(inbox.getPendingInfo(RedisKeys.BROKER_GROUP).getTotal()).isZero();
    }

    @Test
    void rawBadEntriesInTheInboxGoToTheBrokersDeadLettersAndRoutingGoesOn() {
        Messenger audit = herald().messenger("audit", "**");
        List<String> got = new CopyOnWriteArrayList<>();
        audit.worker().onAny((env, ctx) -> got.add(env.id())).start();
        audit.register().join();
        RStream<String, String> inbox = herald().redisson().getStream(herald().broker().keys().inbox(), StringCodec.INSTANCE);
        String valid = "{\"widgetId\":\"w-1\",\"name\":\"n\",\"price\":{\"currency\":\"EUR\",\"cents\":1}}";
        inbox.add(StreamAddArgs.entry("event", "this is not json"));
        inbox.add(StreamAddArgs.entry("payload", "{}"));
        inbox.add(StreamAddArgs.entry("event", envelope("u1", "herald:service/widgets", "widget.exploded", 1, "{}")));
        inbox.add(StreamAddArgs.entry("event", envelope("v9", "herald:service/widgets", "widget.created", 9, valid)));
        inbox.add(StreamAddArgs.entry("event", envelope("i1", "herald:service/widgets", "widget.created", 2,
                "{\"widgetId\":\"w-1\",\"name\":\"n\",\"price\":{\"currency\":\"EUR\",\"cents\":-5}}")));
        inbox.add(StreamAddArgs.entry("event", envelope("o1", "herald:service/gadgets", "widget.created", 2, valid)));
        // any language can send by writing the envelope: this one is fine and must still be routed
        inbox.add(StreamAddArgs.entry("event", envelope("ok1", "herald:service/widgets", "widget.created", 2, valid)));

        await().untilAsserted(() -> assertThat(got).containsExactly("ok1"));
        await().untilAsserted(() -> assertThat(herald().brokerDeadLetters().list(20)).hasSize(6));
        // two consumer threads route in parallel: dead letters are not in inbox order
        Map<String, DeadLetter> byReason = new java.util.HashMap<>();
        List<DeadLetter> dead = herald().brokerDeadLetters().list(20);
        dead.forEach(d -> byReason.merge(d.reason() + (d.reason().equals("malformed") && d.event().contains("payload") ? "-2" : ""), d, (a, b) -> a));
        assertThat(byReason).containsOnlyKeys("malformed", "malformed-2", "unknown-type", "unknown-version", "invalid-data", "wrong-owner");
        assertThat(byReason.get("malformed").error()).contains("not JSON");
        assertThat(byReason.get("malformed-2").error()).contains("without an 'event' field").contains("payload");
        assertThat(byReason.get("unknown-type").error()).contains("widget.exploded");
        assertThat(byReason.get("unknown-version").error()).contains("unknown version 9");
        assertThat(byReason.get("invalid-data").error()).contains("price.cents").contains("minimum");
        assertThat(byReason.get("wrong-owner").error()).contains("x-owner: widgets");
        assertThat(dead).allSatisfy(d -> assertThat(d.by()).isEqualTo(herald().broker().id()));
    }

    @Test
    void aRegistrationOutlivesABrokerRestartAndIsSharedByAllBrokers() {
        Messenger billing = herald().messenger("billing", "widget.created");
        Set<String> got = ConcurrentHashMap.newKeySet();
        AtomicInteger deliveries = new AtomicInteger();
        billing.worker().on(WidgetCreated.class, (e, ctx) -> {
            deliveries.incrementAndGet();
            return got.add(ctx.id());
        }).start();
        billing.register().join();
        Broker second = herald().restartBroker();
        Broker third = Broker.builder().redisson(herald().newClient()).start();
        try {
            List<String> ids = toInbox("shared", 500);
            await().untilAsserted(() -> assertThat(got).containsExactlyInAnyOrderElementsOf(ids));
            await().during(Duration.ofMillis(300)).untilAsserted(() -> assertThat(deliveries.get()).isEqualTo(500));
            assertThat(second.stats().routed() + third.stats().routed()).isEqualTo(500);
        } finally {
            third.close();
        }
    }

    @Test
    void registeringAgainChangesTheListenersForEverySendAfterIt() {
        Messenger audit = herald().messenger("audit", "gadget.*");
        List<String> got = new CopyOnWriteArrayList<>();
        audit.worker().onAny((env, ctx) -> got.add(env.type())).start();
        audit.register().join();
        Messenger widgets = herald().messenger("widgets");
        widgets.send(new WidgetDeleted("w-1"));
        herald().messenger("gadgets").send(new GadgetShipped("g-1", "ups"));
        await().untilAsserted(() -> assertThat(got).containsExactly("gadget.shipped"));

        // the next version of audit registers, with its own workers: they read the topics of what it listens to
        Messenger auditV2 = herald().messenger("audit", "gadget.*", "widget.deleted");
        auditV2.worker().onAny((env, ctx) -> got.add(env.type())).start();
        auditV2.register().join();
        widgets.send(new WidgetDeleted("w-2"));
        await().untilAsserted(() -> assertThat(got).containsExactly("gadget.shipped", "widget.deleted"));
    }

    @Test
    void aServiceGroupCollectsWhileNoWorkerRuns() {
        Messenger billing = herald().messenger("billing", "widget.created");
        billing.register().join();
        List<String> ids = herald().messenger("widgets").sendAll(List.of(WidgetCreated.sample(1), WidgetCreated.sample(2), WidgetCreated.sample(3)));
        assertThat(new dev.herald.runtime.stream.Topics(herald().redisson(), herald().broker().keys()).waiting("widget.created", "billing", 10))
                .containsExactlyElementsOf(ids);

        List<String> got = new CopyOnWriteArrayList<>();
        billing.worker().on(WidgetCreated.class, (e, ctx) -> got.add(ctx.id())).start();
        await().untilAsserted(() -> assertThat(got).containsExactlyInAnyOrderElementsOf(ids));
    }

    @Test
    void aCanaryWithWorkersDisabledSendsButNeverConsumes() {
        Messenger canary = herald().messenger("billing", b -> b.listensTo("widget.created").enableWorkers(false));
        Messenger stable = herald().messenger("billing", "widget.created");
        AtomicInteger canaryCalls = new AtomicInteger();
        List<String> stableGot = new CopyOnWriteArrayList<>();
        assertThat(canary.worker().on(WidgetCreated.class, (e, ctx) -> canaryCalls.incrementAndGet()).start().consuming()).isFalse();
        stable.worker().on(WidgetCreated.class, (e, ctx) -> stableGot.add(e.widgetId())).start();
        canary.register().join();
        List<WidgetCreated> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(WidgetCreated.sample(i));
        }
        herald().messenger("widgets").sendAll(events);
        await().untilAsserted(() -> assertThat(stableGot).hasSize(50));
        assertThat(canaryCalls.get()).isZero();
        assertThat(canary.liveInstances("billing")).anySatisfy(i -> assertThat(i.workersEnabled()).isFalse());
    }
}
