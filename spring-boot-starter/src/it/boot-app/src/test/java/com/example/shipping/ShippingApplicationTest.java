package com.example.shipping;

import dev.herald.runtime.Messenger;
import dev.herald.sdk.Money;
import dev.herald.sdk.OrderCreated;
import dev.herald.sdk.ServiceName;
import dev.herald.spring.test.EmbeddedHerald;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest
@EmbeddedHerald
class ShippingApplicationTest {

    @Autowired
    ShippingApplication.Reservations reservations;

    @Value("${herald.redis.url}")
    String redisUrl;

    @Test
    void anOrderSentByAnotherServiceReachesTheListener() throws Exception {
        UUID id = UUID.randomUUID();
        try (Messenger order = Messenger.builder().redisUrl(redisUrl).service(ServiceName.ORDER).build()) {
            order.send(OrderCreated.builder().orderId(id).accountId(UUID.randomUUID())
                    .items(List.of(new OrderCreated.Item("SKU-1234", 2, new Money(new BigDecimal("4.50"), "EUR"))))
                    .total(new Money(new BigDecimal("9.00"), "EUR")).createdAt(Instant.now()).build());
        }
        for (int i = 0; i < 200 && !reservations.reserved.contains(id); i++) {
            Thread.sleep(100);
        }
        assertThat(reservations.reserved).contains(id);
    }
}
