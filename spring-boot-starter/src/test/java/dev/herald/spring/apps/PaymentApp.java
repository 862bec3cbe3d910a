package dev.herald.spring.apps;

import dev.herald.runtime.EventContext;
import dev.herald.runtime.Messenger;
import dev.herald.sdk.OrderCreated;
import dev.herald.sdk.PaymentCompleted;
import dev.herald.spring.HeraldListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A payment service as a Boot user writes it: properties, one annotated method, a Messenger injected. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({PaymentApp.Charges.class, PaymentApp.Readiness.class})
public class PaymentApp {

    @Bean
    MeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }

    @Component
    public static class Charges {
        public final Set<UUID> charged = ConcurrentHashMap.newKeySet();
        private final Messenger messenger;

        Charges(Messenger messenger) {
            this.messenger = messenger;
        }

        @HeraldListener
        String on(OrderCreated order, EventContext ctx) {
            charged.add(order.orderId());
            messenger.send(PaymentCompleted.builder().paymentId(UUID.randomUUID()).orderId(order.orderId()).amount(order.total())
                    .method(PaymentCompleted.Method.CARD).completedAt(Instant.now()).build());
            return "charged " + order.total().amount() + " (attempt " + ctx.attempt() + ")";
        }
    }

    /** Whether this instance was registered when the application said it was ready. */
    @Component
    public static class Readiness implements ApplicationListener<ApplicationReadyEvent> {
        public volatile Boolean registeredWhenReady;
        private final Messenger messenger;

        Readiness(Messenger messenger) {
            this.messenger = messenger;
        }

        @Override
        public void onApplicationEvent(ApplicationReadyEvent event) {
            registeredWhenReady = messenger.registrations().stream().anyMatch(r -> r.instance().equals(messenger.instanceId()));
        }
    }
}
