package dev.herald.runtime;

import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Redis settings that decide whether an acknowledged event can vanish, read from {@code INFO}
 * (which managed Redis services allow where {@code CONFIG GET} is often disabled).
 *
 * @param maxmemoryPolicy {@code maxmemory_policy}: anything but {@code noeviction} and the
 *                        {@code volatile-*} policies may evict a stream (streams have no expiry)
 * @param aofEnabled      whether the append-only file is on
 */
public record RedisSettings(String maxmemoryPolicy, boolean aofEnabled) {

    public static RedisSettings read(RedissonClient redisson) {
        String info = redisson.getScript(StringCodec.INSTANCE).eval(RScript.Mode.READ_ONLY,
                "return redis.call('INFO', 'memory') .. '\\r\\n' .. redis.call('INFO', 'persistence')", RScript.ReturnType.VALUE);
        Map<String, String> fields = new TreeMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return new RedisSettings(fields.getOrDefault("maxmemory_policy", "unknown"), "1".equals(fields.get("aof_enabled")));
    }

    /** Whether Redis may delete a stream (and the events in it) to make room. */
    public boolean mayEvictStreams() {
        return maxmemoryPolicy.startsWith("allkeys-");
    }

    /** What an operator should change, each as a sentence; empty when events are as safe as Redis makes them. */
    public List<String> risks() {
        List<String> risks = new ArrayList<>();
        if (mayEvictStreams()) {
            risks.add("maxmemory-policy is " + maxmemoryPolicy + ": at maxmemory Redis deletes whole streams, and the events"
                    + " in them, without a trace. Set maxmemory-policy noeviction (writes are then refused, and Herald retries them)");
        }
        if (!aofEnabled) {
            risks.add("appendonly is off: events acknowledged since the last snapshot are lost if Redis restarts."
                    + " Set appendonly yes (appendfsync everysec or always)");
        }
        return risks;
    }
}
