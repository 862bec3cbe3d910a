package com.example.shipping;

import dev.herald.runtime.EventContext;
import dev.herald.sdk.OrderCreated;
import dev.herald.spring.HeraldListener;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

@SpringBootApplication
public class ShippingApplication {

    public static void main(String[] args) {
        SpringApplication.run(ShippingApplication.class, args);
    }

    @Component
    public static class Reservations {
        public final Set<UUID> reserved = ConcurrentHashMap.newKeySet();

        @HeraldListener
        String on(OrderCreated order, EventContext ctx) {
            reserved.add(order.orderId());
            return "reserved " + order.items().size() + " lines";
        }
    }
}
