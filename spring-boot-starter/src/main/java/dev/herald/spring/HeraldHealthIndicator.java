package dev.herald.spring;

import dev.herald.runtime.Messenger;
import dev.herald.runtime.Worker;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import java.time.Duration;

/**
 * {@code herald} in Actuator's health: up while Redis answers, the worker (when this instance
 * consumes) is reading, and this instance's registration is in Redis as the brokers see it.
 */
public class HeraldHealthIndicator extends AbstractHealthIndicator {

    /** A worker that has not completed a read round for this long is stuck. */
    static final Duration WORKER_STUCK = Duration.ofSeconds(30);

    private final Messenger messenger;
    private final HeraldWorkers workers;

    HeraldHealthIndicator(Messenger messenger, HeraldWorkers workers) {
        super("Herald health check failed");
        this.messenger = messenger;
        this.workers = workers;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("service", messenger.service()).withDetail("instance", messenger.instanceId());
        boolean registered = messenger.registrations().stream().anyMatch(r -> r.instance().equals(messenger.instanceId()));
        builder.withDetail("registered", registered);
        Worker w = workers.worker();
        boolean consumingOk = true;
        if (w != null && w.consuming()) {
            long since = System.currentTimeMillis() - w.lastReadAt();
            consumingOk = since <= WORKER_STUCK.toMillis();
            builder.withDetail("worker", consumingOk ? "reading" : "no read round completed for " + since / 1000 + " s");
        } else {
            builder.withDetail("worker", w == null ? "none (no @HeraldListener methods)" : "disabled (herald.workers.enabled=false)");
        }
        if (registered && consumingOk && workers.isRunning()) {
            builder.up();
        } else {
            builder.down().withDetail("reason", !workers.isRunning() ? "not started" : !registered
                    ? "this instance's registration is missing from Redis" : "the worker is stuck");
        }
    }
}
