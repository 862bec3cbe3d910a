package dev.herald.spring.apps;

import dev.herald.runtime.Messenger;
import dev.herald.sdk.Money;
import dev.herald.sdk.OrderCreated;
import dev.herald.sdk.PaymentCompleted;
import dev.herald.spring.HeraldListener;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Service;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** An order service: sends OrderCreated from a service bean, confirms on PaymentCompleted. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({OrderApp.Checkout.class, OrderApp.Confirmations.class})
public class OrderApp {

    @Service
    public static class Checkout {
        private final Messenger messenger;

        Checkout(Messenger messenger) {
            this.messenger = messenger;
        }

        public String placeOrder(UUID orderId) {
            return messenger.send(OrderCreated.builder().orderId(orderId).accountId(UUID.randomUUID())
                    .items(List.of(new OrderCreated.Item("SKU-1234", 1, new Money(new BigDecimal("9.95"), "EUR"))))
                    .total(new Money(new BigDecimal("9.95"), "EUR")).createdAt(Instant.now()).build());
        }
    }

    @Component
    public static class Confirmations {
        public final Set<UUID> confirmed = ConcurrentHashMap.newKeySet();

        @HeraldListener
        void on(PaymentCompleted payment) {
            confirmed.add(payment.orderId());
        }
    }
}
