package dev.herald.runtime.stream;

import dev.herald.runtime.fixtures.SharedRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.stream.StreamAddArgs;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The read loop of brokers and workers survives any failure, and says when it last completed a round. */
class ConsumerLoopTest {

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis();

    @Test
    void errorsDoNotEndTheLoopAndADeletedGroupIsCreatedAgain() throws Exception {
        ConsumerGroup group = new ConsumerGroup(redis.client(), "loop-test:stream", "g", "c1");
        group.ensure();
        AtomicInteger rounds = new AtomicInteger();
        AtomicInteger read = new AtomicInteger();
        AtomicInteger released = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        ConsumerLoop loop = new ConsumerLoop("test loop", redis.client(), group, running::get, new ConsumerLoop.Round() {
            @Override
            public void run() {
                int n = rounds.incrementAndGet();
                if (n == 1) {
                    throw new StackOverflowError("deep");
                }
                if (n == 2) {
                    throw new OutOfMemoryError("Java heap space");
                }
                var got = group.readNew(10, Duration.ofMillis(50));
                group.ack(got.keySet());
                read.addAndGet(got.size());
            }

            @Override
            public void failed(Throwable t) {
                released.incrementAndGet();
            }
        });
        Thread t = Threads.daemon(loop, "loop-test");
        t.start();
        try {
            await().untilAsserted(() -> assertThat(rounds.get()).isGreaterThan(3));
            assertThat(t.isAlive()).as("an Error ended no loop").isTrue();
            assertThat(loop.failures()).isEqualTo(2);
            assertThat(released.get()).as("each failed round released what it held").isEqualTo(2);

            // someone deletes the stream: the loop creates the group again and reads what comes next
            redis.client().getKeys().delete("loop-test:stream");
            await().untilAsserted(() -> assertThat(loop.failures()).isGreaterThan(2));
            await().untilAsserted(() -> assertThat(redis.client().getStream("loop-test:stream").listGroups()).isNotEmpty());
            redis.client().<String, String>getStream("loop-test:stream").add(StreamAddArgs.entry("event", "{}"));
            await().untilAsserted(() -> assertThat(read.get()).isEqualTo(1));
            assertThat(loop.millisSinceLastRound()).isLessThan(1_000);
        } finally {
            running.set(false);
            t.join(2_000);
        }
        assertThat(t.isAlive()).isFalse();
    }
}
