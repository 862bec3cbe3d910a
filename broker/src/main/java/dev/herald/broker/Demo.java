package dev.herald.broker;

import dev.herald.runtime.BusMetrics;
import dev.herald.runtime.Messenger;
import dev.herald.runtime.NonRetryableException;
import dev.herald.sdk.EventType;
import dev.herald.sdk.Money;
import dev.herald.sdk.OrderCreated;
import dev.herald.sdk.PaymentCompleted;
import dev.herald.sdk.PaymentFailed;
import dev.herald.sdk.ServiceName;
import org.redisson.api.RedissonClient;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code --demo}: two sample services on the generated shop SDK talk through the broker.
 * {@code order} sends {@link OrderCreated} five times a second; {@code payment} listens to it
 * and answers with {@link PaymentCompleted} (or, one time in ten, {@link PaymentFailed});
 * {@code order} listens to both; one order in a hundred fails payment's handler for good and goes to
 * its dead letters (to replay from the console). A summary line every two seconds.
 */
final class Demo implements AutoCloseable {

    private final Messenger order;
    private final Messenger payment;
    private final ScheduledExecutorService timer;
    private final Map<UUID, Long> sentAt = new ConcurrentHashMap<>();
    private final List<Long> roundTripsMs = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong ordersSent = new AtomicLong();
    private final AtomicLong charged = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean stopping;

    private Demo(RedissonClient client, Broker broker, PrintStream out, BusMetrics metrics) {
        String ns = broker.keys().namespace();
        payment = Messenger.builder().redisson(client).namespace(ns).service(ServiceName.PAYMENT).metrics(metrics)
                .listensTo(EventType.ORDER_CREATED).build();
        order = Messenger.builder().redisson(client).namespace(ns).service(ServiceName.ORDER).metrics(metrics)
                .listensTo(EventType.PAYMENT_COMPLETED, EventType.PAYMENT_FAILED).build();

        payment.worker().concurrency(4).on(OrderCreated.class, (event, ctx) -> {
            if (ThreadLocalRandom.current().nextInt(100) == 0) {
                // something for the console's dead letters: replay it there, and it is charged (or fails again)
                throw new NonRetryableException("demo: the fraud check is down for one order in a hundred");
            }
            charged.incrementAndGet();
            if (ThreadLocalRandom.current().nextInt(10) == 0) {
                payment.send(new PaymentFailed(UUID.randomUUID(), event.orderId(), event.total(),
                        PaymentFailed.FailureCode.CARD_DECLINED, "demo: every tenth card is declined", false, 1L, Instant.now()));
                return "declined";
            }
            payment.send(new PaymentCompleted(UUID.randomUUID(), event.orderId(), event.total(),
                    PaymentCompleted.Method.CARD, "demo-" + ctx.id().substring(0, 8), null, Instant.now()));
            return "charged " + event.total().amount() + " " + event.total().currency();
        }).start();
        order.worker().concurrency(4)
                .on(PaymentCompleted.class, (event, ctx) -> {
                    completed.incrementAndGet();
                    roundTrip(event.orderId());
                    return null;
                })
                .on(PaymentFailed.class, (event, ctx) -> {
                    failed.incrementAndGet();
                    roundTrip(event.orderId());
                    return null;
                }).start();
        payment.register().join();
        order.register().join();
        out.println("demo: 'order' sends order.created 5 times a second; 'payment' answers payment.completed "
                + "(or payment.failed one time in ten); both through this broker. Ctrl-C stops.");

        timer = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "herald-demo");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::placeOrder, 200, 200, TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(() -> summary(broker, out), 2, 2, TimeUnit.SECONDS);
    }

    static Demo start(RedissonClient client, Broker broker, PrintStream out, BusMetrics metrics) {
        return new Demo(client, broker, out, metrics);
    }

    /** Sends no more orders and reports nothing more; called first on Ctrl-C, before the client closes. */
    void stop() {
        stopping = true;
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void placeOrder() {
        try {
            UUID id = UUID.randomUUID();
            long n = ThreadLocalRandom.current().nextLong(1, 4);
            OrderCreated event = OrderCreated.builder()
                    .orderId(id)
                    .accountId(UUID.randomUUID())
                    .items(List.of(new OrderCreated.Item("SKU-" + (1000 + ThreadLocalRandom.current().nextInt(9000)), n,
                            new Money(new BigDecimal("19.90"), "EUR"))))
                    .total(new Money(new BigDecimal("19.90").multiply(BigDecimal.valueOf(n)), "EUR"))
                    .createdAt(Instant.now())
                    .build();
            sentAt.put(id, System.nanoTime());
            order.send(event);
            ordersSent.incrementAndGet();
        } catch (RuntimeException e) {
            // Ctrl-C reaches the embedded redis-server (same process group) a moment before this JVM's
            // shutdown hook sets 'stopping': report a failed send only if the demo is still running then
            try {
                Thread.sleep(500);
            } catch (InterruptedException stoppedMeanwhile) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!stopping) {
                System.err.println("demo: cannot send: " + e.getMessage());
            }
        }
    }

    private void roundTrip(UUID orderId) {
        Long t0 = sentAt.remove(orderId);
        if (t0 != null) {
            roundTripsMs.add((System.nanoTime() - t0) / 1_000_000);
        }
    }

    private void summary(Broker broker, PrintStream out) {
        List<Long> rt;
        synchronized (roundTripsMs) {
            rt = new ArrayList<>(roundTripsMs);
            roundTripsMs.clear();
        }
        Collections.sort(rt);
        String p50 = rt.isEmpty() ? "-" : rt.get(rt.size() / 2) + " ms";
        Broker.Stats s = broker.stats();
        out.printf(Locale.ROOT, "orders sent %d | payments charged %d | order saw completed %d, failed %d | order->payment->order p50 %s"
                        + " | broker routed %d, dead letters %d%n",
                ordersSent.get(), charged.get(), completed.get(), failed.get(), p50, s.routed(), s.deadLettered());
    }

    @Override
    public void close() {
        stop();
        order.close();
        payment.close();
    }
}
