package dev.herald.runtime;

import dev.herald.runtime.fixtures.TestEvents;
import dev.herald.runtime.fixtures.TestServices;
import dev.herald.runtime.fixtures.WidgetCreated;

import java.time.Duration;

/**
 * A worker process whose handler halts its JVM, as a native crash or an OOM kill would: run by
 * {@link WorkerDeliveryLimitTest} as a separate process, restarted after each crash.
 * Arguments: Redis URL, max deliveries.
 */
public final class HaltingWorker {

    private HaltingWorker() {
    }

    public static void main(String[] args) throws InterruptedException {
        Messenger widgets = Messenger.builder().redisUrl(args[0]).service(TestServices.WIDGETS).listensTo(TestEvents.WIDGET_CREATED).build();
        widgets.worker().visibilityTimeout(Duration.ofMillis(300)).maxDeliveries(Integer.parseInt(args[1]))
                .on(WidgetCreated.class, (event, ctx) -> {
                    Runtime.getRuntime().halt(3);
                    return null;
                }).start();
        System.out.println("worker started");
        Thread.sleep(Long.MAX_VALUE);
    }
}
