package dev.herald.testkit;

import dev.herald.runtime.Messenger;
import dev.herald.runtime.fixtures.GadgetShipped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The extension as an instance field: its own Redis and broker for each test. */
class PerTestExtensionTest {

    @RegisterExtension
    final HeraldExtension herald = HeraldExtension.builder().namespace("kit").build();

    @Test
    void aTestSendsAnEventAndAwaitsWhatItsHandlerDid() {
        Messenger widgets = herald.messenger("widgets", "gadget.shipped");
        List<String> carriers = new CopyOnWriteArrayList<>();
        widgets.worker().on(GadgetShipped.class, (e, ctx) -> carriers.add(e.carrier())).start();
        widgets.register().join();

        herald.messenger("gadgets").send(new GadgetShipped("g-1", "dhl"));

        await().untilAsserted(() -> assertThat(carriers).containsExactly("dhl"));
        assertThat(herald.broker().keys().namespace()).isEqualTo("kit");
        assertThat(herald.redisson().getKeys().getKeysStream().toList()).allMatch(k -> k.startsWith("kit:"));
    }
}
