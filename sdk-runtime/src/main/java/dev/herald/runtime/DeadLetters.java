package dev.herald.runtime;

import org.redisson.api.RScript;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamRangeArgs;
import org.redisson.client.codec.StringCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A dead-letter stream (a service's, or the broker's) with list and replay. Replay moves the entry
 * back to where it came from (the service stream with attempt 1, or the inbox) and deletes it
 * from the dead-letter stream in one Lua script, so it is atomic.
 */
public final class DeadLetters {

    private static final String REPLAY = String.join("\n",
            "local e = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])",
            "if #e == 0 then return 0 end",
            "local f = e[1][2]",
            "local ev = nil",
            "for i = 1, #f, 2 do if f[i] == 'event' then ev = f[i + 1] end end",
            "if not ev then return -1 end",
            "redis.call('XADD', KEYS[2], '*', 'event', ev)",
            "redis.call('XDEL', KEYS[1], ARGV[1])",
            "return 1");

    private final RedissonClient redisson;
    private final String deadKey;
    private final String targetKey;

    public DeadLetters(RedissonClient redisson, String deadKey, String targetKey) {
        this.redisson = redisson;
        this.deadKey = deadKey;
        this.targetKey = targetKey;
    }

    private RStream<String, String> stream() {
        return redisson.getStream(deadKey, StringCodec.INSTANCE);
    }

    /** The oldest {@code max} dead letters. */
    public List<DeadLetter> list(int max) {
        Map<StreamMessageId, Map<String, String>> entries = stream().range(StreamRangeArgs.startId(StreamMessageId.MIN).endId(StreamMessageId.MAX).count(max));
        List<DeadLetter> out = new ArrayList<>(entries.size());
        entries.forEach((id, f) -> out.add(DeadLetter.of(id.toString(), f)));
        return out;
    }

    /** The newest {@code max} dead letters, newest first. */
    public List<DeadLetter> newest(int max) {
        Map<StreamMessageId, Map<String, String>> entries = stream().rangeReversed(max, StreamMessageId.MAX, StreamMessageId.MIN);
        List<DeadLetter> out = new ArrayList<>(entries.size());
        entries.forEach((id, f) -> out.add(DeadLetter.of(id.toString(), f)));
        return out;
    }

    /** Deletes one dead letter for good; false if it is no longer there. */
    public boolean delete(String deadLetterId) {
        String[] parts = deadLetterId.split("-", 2);
        StreamMessageId id;
        try {
            id = new StreamMessageId(Long.parseLong(parts[0]), parts.length > 1 ? Long.parseLong(parts[1]) : 0);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a dead-letter id (a stream entry id such as 1733140800000-0): " + deadLetterId);
        }
        return stream().remove(id) > 0;
    }

    /**
     * Removes the dead letters older than the retention's age (a stream entry's id is its time);
     * returns how many. The stream's length is bounded at each write ({@link DeadLetter#add}).
     */
    public long trim(DeadLetter.Retention retention) {
        long cutoff = System.currentTimeMillis() - retention.maxAge().toMillis();
        return stream().trim(org.redisson.api.stream.StreamTrimArgs.minId(new StreamMessageId(Math.max(0, cutoff), 0)).noLimit());
    }

    public long size() {
        return stream().size();
    }

    /** Replays one dead letter; false if it is no longer there. */
    public boolean replay(String deadLetterId) {
        Long r = redisson.getScript(StringCodec.INSTANCE).eval(deadKey, RScript.Mode.READ_WRITE, REPLAY,
                RScript.ReturnType.LONG, List.of(deadKey, targetKey), deadLetterId);
        if (r != null && r < 0) {
            throw new HeraldException("dead letter " + deadLetterId + " holds no envelope and cannot be replayed");
        }
        return r != null && r == 1;
    }

    /**
     * Replays every dead letter present when it is called; returns how many. Entries that fail
     * again at once come back as new dead letters, after the last one present at the start, and
     * are left for the next call: this returns even when every replay fails again.
     */
    public int replayAll() {
        Map<StreamMessageId, Map<String, String>> newest = stream().rangeReversed(1, StreamMessageId.MAX, StreamMessageId.MIN);
        if (newest.isEmpty()) {
            return 0;
        }
        StreamMessageId last = newest.keySet().iterator().next();
        StreamMessageId after = null;
        int n = 0;
        while (true) {
            Map<StreamMessageId, Map<String, String>> page = stream().range((after == null
                    ? StreamRangeArgs.startId(StreamMessageId.MIN) : StreamRangeArgs.startIdExclusive(after)).endId(last).count(500));
            if (page.isEmpty()) {
                return n;
            }
            for (Map.Entry<StreamMessageId, Map<String, String>> e : page.entrySet()) {
                after = e.getKey();
                if (e.getValue().get("event") != null && replay(e.getKey().toString())) {
                    n++;
                }
            }
        }
    }
}
