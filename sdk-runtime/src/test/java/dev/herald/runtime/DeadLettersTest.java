package dev.herald.runtime;

import dev.herald.runtime.fixtures.SharedRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RStream;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Dead letters are bounded: each one's error and copy, and the stream by age and by length. */
class DeadLettersTest {

    @RegisterExtension
    static final SharedRedis redis = new SharedRedis();

    @Test
    void anEntryKeepsABoundedErrorAndTooLargeKeepsTheBeginningOfTheEvent() {
        Map<String, String> f = DeadLetter.entry("x".repeat(200_000), DeadLetter.Reason.TOO_LARGE, "e".repeat(20_000), 0, Envelope.now(), "me");
        assertThat(f.get("event")).hasSize(DeadLetter.TOO_LARGE_COPY_CHARS);
        assertThat(f.get("error")).startsWith("eeee").endsWith("(" + (20_000 - DeadLetter.MAX_ERROR_CHARS) + " more chars)")
                .hasSizeLessThan(DeadLetter.MAX_ERROR_CHARS + 40);
        assertThat(f.get("reason")).isEqualTo("too-large");
        Map<String, String> replayable = DeadLetter.entry("y".repeat(200_000), DeadLetter.Reason.HANDLER_FAILED, "boom", 5, Envelope.now(), "me");
        assertThat(replayable.get("event")).as("kept whole: it can be replayed").hasSize(200_000);
    }

    @Test
    void theRetentionRemovesOldDeadLettersByAgeAndBoundsTheLength() {
        String key = "dlt:age";
        RStream<String, String> stream = redis.client().getStream(key, StringCodec.INSTANCE);
        long now = System.currentTimeMillis();
        long weeksAgo = now - Duration.ofDays(20).toMillis();
        for (int i = 0; i < 3; i++) {
            stream.add(new StreamMessageId(weeksAgo, i), StreamAddArgs.entries(DeadLetter.entry("{}", DeadLetter.Reason.INVALID, "old", 1, "t", "me")));
        }
        stream.add(StreamAddArgs.entries(DeadLetter.entry("{}", DeadLetter.Reason.INVALID, "new", 1, "t", "me")));
        DeadLetters letters = new DeadLetters(redis.client(), key, "dlt:target");
        letters.trim(DeadLetter.Retention.DEFAULT);
        assertThat(letters.list(10)).extracting(DeadLetter::error).containsExactly("new");

        String bounded = "dlt:length";
        DeadLetter.Retention thousand = new DeadLetter.Retention(Duration.ofDays(1), 1_000);
        for (int i = 0; i < 3_000; i++) {
            redis.client().<String, String>getStream(bounded, StringCodec.INSTANCE)
                    .add(DeadLetter.add(DeadLetter.entry("{}", DeadLetter.Reason.INVALID, "n" + i, 1, "t", "me"), thousand));
        }
        long size = new DeadLetters(redis.client(), bounded, "dlt:target").size();
        // MAXLEN ~ trims whole stream nodes: about the bound, never below it
        assertThat(size).isBetween(1_000L, 1_200L);
        assertThat(new DeadLetters(redis.client(), bounded, "dlt:target").list(1).get(0).error()).as("the oldest went first").isNotEqualTo("n0");
    }
}
