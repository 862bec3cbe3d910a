package dev.herald.broker;

import dev.herald.runtime.Messenger;
import dev.herald.runtime.stream.RedisClients;
import dev.herald.sdk.EventType;
import dev.herald.sdk.OrderCreated;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;

/**
 * One process of {@link BusFaultSuiteTest}: a broker, or a worker of a service that counts each
 * event it handles in Redis ({@code HINCRBY <ns>:test:handled:<service> <event id> 1}, so a
 * duplicate shows as 2). Arguments: {@code broker <redis-url> <namespace>} or
 * {@code worker <redis-url> <namespace> <service>}. Prints {@code ready} once it consumes.
 */
public final class FaultSuiteNode {

    private FaultSuiteNode() {
    }

    public static void main(String[] args) throws Exception {
        String role = args[0];
        String url = args[1];
        String ns = args[2];
        RedissonClient client = RedisClients.create(url);
        if (role.equals("broker")) {
            Broker.builder().redisson(client).namespace(ns).concurrency(1).claimIdle(Duration.ofSeconds(2)).maxDeliveries(50).start();
        } else {
            String service = args[3];
            String handled = ns + ":test:handled:" + service;
            Messenger m = Messenger.builder().redisson(client).namespace(ns).service(service).listensTo(EventType.ORDER_CREATED)
                    .heartbeat(Duration.ofMillis(500)).build();
            m.worker().visibilityTimeout(Duration.ofSeconds(2)).maxAttempts(50).backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                    .consume(OrderCreated.class, (e, ctx) -> client.getMap(handled, StringCodec.INSTANCE).addAndGet(ctx.id(), 1))
                    .start();
            m.register().join();
        }
        System.out.println("ready");
        Thread.sleep(Long.MAX_VALUE);
    }
}
