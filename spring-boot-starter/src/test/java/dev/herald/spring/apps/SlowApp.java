package dev.herald.spring.apps;

import dev.herald.sdk.OrderCreated;
import dev.herald.spring.HeraldListener;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/** A service whose handler takes a second and a half: for what shutdown does with a handler still running. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(SlowApp.Stock.class)
public class SlowApp {

    public static class Stock {
        public final CountDownLatch started = new CountDownLatch(1);
        public final Set<UUID> finished = ConcurrentHashMap.newKeySet();

        @HeraldListener
        void on(OrderCreated order) throws InterruptedException {
            started.countDown();
            Thread.sleep(1_500);
            finished.add(order.orderId());
        }
    }
}
