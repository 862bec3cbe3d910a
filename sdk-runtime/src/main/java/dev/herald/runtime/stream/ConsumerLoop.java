package dev.herald.runtime.stream;

import org.redisson.api.RedissonClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BooleanSupplier;

/**
 * Runs a consumer's rounds (read or claim, then hand over what was read) until it is stopped, and
 * survives anything a round throws: a Redis error, a deleted stream (the group is created again),
 * and any {@link Error} (out of memory, stack overflow), which would otherwise end the thread while
 * a timer-driven heartbeat still said the consumer was alive. Liveness is the time of the last
 * round that completed ({@link #millisSinceLastRound()}).
 */
public final class ConsumerLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
    /** Pause after a failed round, so a broken Redis is not hammered. */
    static final long PAUSE_AFTER_FAILURE_MS = 500;

    /** One round of a consumer. */
    public interface Round {
        void run() throws Exception;

        /** Called after {@link #run} failed, before the pause: release what the round held. */
        default void failed(Throwable t) {
        }
    }

    private final String name;
    private final RedissonClient redisson;
    private final ConsumerGroup group;
    private final BooleanSupplier running;
    private final Round round;
    private volatile long lastRoundAt = System.currentTimeMillis();
    private volatile long failures;

    public ConsumerLoop(String name, RedissonClient redisson, ConsumerGroup group, BooleanSupplier running, Round round) {
        this.name = name;
        this.redisson = redisson;
        this.group = group;
        this.running = running;
        this.round = round;
    }

    @Override
    public void run() {
        while (running.getAsBoolean()) {
            try {
                round.run();
                lastRoundAt = System.currentTimeMillis();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable e) { // an Error must not end the consumer either
                try {
                    round.failed(e);
                } catch (Throwable ignored) {
                    // releasing must not end the loop
                }
                if (!running.getAsBoolean() || redisson.isShutdown() || redisson.isShuttingDown()) {
                    return; // the client is closing: nothing to report
                }
                failures++;
                if (ConsumerGroup.isNoGroup(e)) {
                    LOG.warn("{}: the consumer group {} on {} is gone (was the key deleted?): creating it again", name,
                            group.group(), group.streamKey());
                    try {
                        group.ensure();
                    } catch (RuntimeException again) {
                        LOG.warn("{}: cannot create the consumer group again: {}", name, again.toString());
                        Threads.sleep(PAUSE_AFTER_FAILURE_MS);
                    }
                } else {
                    LOG.warn("{}: {}", name, e.toString());
                    Threads.sleep(PAUSE_AFTER_FAILURE_MS);
                }
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
        }
    }

    /** When the last round completed (epoch ms); the start time before the first. */
    public long lastRoundAt() {
        return lastRoundAt;
    }

    public long millisSinceLastRound() {
        return System.currentTimeMillis() - lastRoundAt;
    }

    /** Rounds that failed since start. */
    public long failures() {
        return failures;
    }
}
