package dev.herald.runtime;

import dev.herald.runtime.fixtures.SharedRedis;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.runtime.fixtures.Amount;
import dev.herald.runtime.fixtures.GadgetShipped;
import dev.herald.runtime.fixtures.Part;
import dev.herald.runtime.fixtures.TestEvents;
import dev.herald.runtime.fixtures.TestServices;
import dev.herald.runtime.fixtures.WidgetCreated;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RStream;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.StringCodec;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessengerTest {

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis();
    Messenger widgets;



    @BeforeEach
    void setUp() {
        redis.client().getKeys().flushall();
        widgets = Messenger.builder().redisson(redis.client()).service(TestServices.WIDGETS).listensTo(TestEvents.GADGET_SHIPPED).build();
    }

    @AfterEach
    void tearDown() {
        widgets.close();
    }

    private Map<StreamMessageId, Map<String, String>> entries(String key) {
        RStream<String, String> s = redis.client().getStream(key, StringCodec.INSTANCE);
        return s.range(StreamMessageId.MIN, StreamMessageId.MAX);
    }

    @Test
    void sendWrapsTheRecordInAnEnvelopeOnItsTypesTopicOnce() throws Exception {
        String id = widgets.send(WidgetCreated.sample(3));
        Map<StreamMessageId, Map<String, String>> topic = entries(widgets.keys().topic("widget.created"));
        assertThat(topic).hasSize(1);
        JsonNode env = Json.mapper().readTree(topic.values().iterator().next().get("event"));
        assertThat(env.get("id").asText()).isEqualTo(id);
        assertThat(env.get("type").asText()).isEqualTo("widget.created");
        assertThat(env.get("dataschema").asText()).isEqualTo("herald:widget.created/v2");
        assertThat(env.get("source").asText()).isEqualTo("herald:service/widgets");
        assertThat(env.at("/data/widgetId").asText()).isEqualTo("w-3");
        assertThat(entries(widgets.keys().serviceStream("widgets"))).isEmpty();
        assertThat(entries(widgets.keys().inbox())).as("SDK sends go straight to the topic").isEmpty();
        assertThat(redis.client().<String>getSet(widgets.keys().topics(), StringCodec.INSTANCE).readAll())
                .as("announced, for the brokers to look after").containsExactly("widget.created");
    }

    @Test
    void aViolationThrowsWithPathAndRuleAndNothingIsSent() {
        WidgetCreated bad = new WidgetCreated("w-1", "n", new Amount("EUR", 1), List.of(new Part("a", 1), new Part("b", 1), new Part("c", 0)));
        assertThatThrownBy(() -> widgets.send(bad))
                .isInstanceOf(EventValidationException.class)
                .satisfies(e -> assertThat(((EventValidationException) e).violations())
                        .containsExactly("parts[2].quantity: must be greater than or equal to 1"));
        assertThat(entries(widgets.keys().topic("widget.created"))).isEmpty();
    }

    @Test
    void aBatchWithOneInvalidEventSendsNothing() {
        WidgetCreated bad = new WidgetCreated("nope", "n", new Amount("EUR", 1), List.of());
        assertThatThrownBy(() -> widgets.sendAll(List.of(WidgetCreated.sample(1), bad)))
                .isInstanceOf(EventValidationException.class).hasMessageContaining("widgetId");
        assertThat(entries(widgets.keys().topic("widget.created"))).isEmpty();
        assertThat(widgets.sendAll(List.of(WidgetCreated.sample(1), WidgetCreated.sample(2)))).hasSize(2);
        assertThat(entries(widgets.keys().topic("widget.created"))).hasSize(2);
    }

    @Test
    void aServiceMayOnlySendTheEventsItOwns() {
        assertThatThrownBy(() -> widgets.send(new GadgetShipped("g-1", "dhl")))
                .isInstanceOf(EventValidationException.class).hasMessageContaining("x-owner: gadgets");
        assertThat(entries(widgets.keys().topic("widget.created"))).isEmpty();
    }

    @Test
    void notifySelfAlsoWritesToTheSendersOwnStream() {
        String id = widgets.send(WidgetCreated.sample(1), SendOptions.NOTIFY_SELF);
        assertThat(entries(widgets.keys().topic("widget.created"))).hasSize(1);
        Map<StreamMessageId, Map<String, String>> own = entries(widgets.keys().serviceStream("widgets"));
        assertThat(own).hasSize(1);
        assertThat(own.values().iterator().next().get("event")).contains(id);
    }

    @Test
    void eachInstanceRegistersForItselfAndEveryChangeBumpsTheVersion() {
        widgets.register().join();
        assertThat(widgets.registrations()).singleElement().satisfies(r -> {
            assertThat(r.instance()).isEqualTo(widgets.instanceId());
            assertThat(r.listensTo()).containsExactly("gadget.shipped");
        });
        String v1 = version();
        assertThat(v1).isNotBlank();
        // the service stream and its group exist before any event, so nothing is ever skipped
        assertThat(redis.client().getStream(widgets.keys().serviceStream("widgets"), StringCodec.INSTANCE).listGroups())
                .extracting(g -> g.getName()).containsExactly(RedisKeys.WORKER_GROUP);
        // and its group on the topic of every type it listens to, named as the service
        assertThat(redis.client().getStream(widgets.keys().topic("gadget.shipped"), StringCodec.INSTANCE).listGroups())
                .extracting(g -> g.getName()).containsExactly("widgets");

        // a second version of the service registers other listeners: the first one keeps its own
        try (Messenger next = Messenger.builder().redisson(redis.client()).service("widgets").listensTo("gadget.*", "widget.deleted").build()) {
            next.register().join();
            String v2 = version();
            assertThat(v2).isNotEqualTo(v1);
            assertThat(widgets.registrations()).extracting(Registration::instance, Registration::listensTo).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple(widgets.instanceId(), List.of("gadget.shipped")),
                    org.assertj.core.groups.Tuple.tuple(next.instanceId(), List.of("gadget.*", "widget.deleted")));

            next.unregister().join();
            assertThat(widgets.registrations()).extracting(Registration::instance).containsExactly(widgets.instanceId());
            assertThat(version()).isNotEqualTo(v2);
        }
    }

    @Test
    void theHeartbeatRegistersAgainARegistrationThatWasRemoved() {
        widgets.register().join();
        String v1 = version();
        redis.client().getKeys().delete(widgets.keys().registrations("widgets"), widgets.keys().registryIndex());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(12)).untilAsserted(() ->
                assertThat(widgets.registrations()).extracting(Registration::instance).containsExactly(widgets.instanceId()));
        assertThat(version()).as("brokers learn of it").isNotEqualTo(v1);
    }

    @Test
    void closeRefusesNewSendsAndKeepsTheRegistration() {
        Messenger m = Messenger.builder().redisson(redis.client()).service("widgets").listensTo("gadget.shipped").build();
        m.register().join();
        m.close();
        assertThatThrownBy(() -> m.send(WidgetCreated.sample(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(widgets.registrations()).filteredOn(r -> r.instance().equals(m.instanceId())).singleElement()
                .satisfies(r -> assertThat(r.stopped()).as("kept, marked stopped").isTrue());
    }

    @Test
    void closeReturnsOnlyOnceTheSendsInFlightAreAnswered() {
        Messenger m = Messenger.builder().redisson(redis.client()).namespace("closing").service("widgets").build();
        redis.command("CLIENT", "PAUSE", "1500", "WRITE"); // Redis holds every write for 1.5 s
        List<java.util.concurrent.CompletableFuture<String>> inFlight = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            inFlight.add(m.sendAsync(WidgetCreated.sample(1)));
        }
        assertThat(inFlight).as("still waiting for Redis").anySatisfy(f -> assertThat(f).isNotDone());
        m.close();
        assertThat(inFlight).as("close waited for every answer").allSatisfy(f -> assertThat(f).isCompleted().isNotCompletedExceptionally());
        assertThat(redis.client().getStream(new RedisKeys("closing").topic("widget.created"), StringCodec.INSTANCE).size()).isEqualTo(100);
    }

    private String version() {
        return redis.client().<String>getBucket(widgets.keys().registryVersion(), StringCodec.INSTANCE).get();
    }

    @Test
    void heartbeatsListLiveInstances() {
        try (Messenger second = Messenger.builder().redisson(redis.client()).service("widgets").enableWorkers(false).build()) {
            org.awaitility.Awaitility.await().untilAsserted(() ->
                    assertThat(widgets.liveInstances("widgets")).extracting(Messenger.Instance::id)
                            .containsExactlyInAnyOrder(widgets.instanceId(), second.instanceId()));
            assertThat(widgets.liveInstances("widgets")).filteredOn(i -> i.id().equals(second.instanceId()))
                    .singleElement().satisfies(i -> assertThat(i.workersEnabled()).isFalse());
        }
        assertThat(widgets.liveInstances("widgets")).extracting(Messenger.Instance::id).containsExactly(widgets.instanceId());
    }

    @Test
    void namespacePrefixesEveryKey() {
        try (Messenger other = Messenger.builder().redisson(redis.client()).service("widgets").namespace("shop2").build()) {
            other.send(WidgetCreated.sample(1));
            assertThat(redis.client().getKeys().getKeysStream().toList()).allMatch(k -> k.startsWith("herald:") || k.startsWith("shop2:"))
                    .contains("shop2:evt:{widget.created}");
        }
    }
}
