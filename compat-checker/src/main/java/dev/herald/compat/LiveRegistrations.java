package dev.herald.compat;

import dev.herald.runtime.RedisKeys;
import dev.herald.runtime.Registration;
import dev.herald.runtime.stream.RedisClients;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.redisson.api.RedissonClient;

/**
 * What the services of a running bus listen to, read from its Redis with the SDK's own keys and
 * registration format ({@code <namespace>:{registry}:services}). Needs the SDK runtime on the class
 * path: the CLI jar has it, the Maven plugin does not.
 */
final class LiveRegistrations {

    private LiveRegistrations() {
    }

    /** Service to the patterns any of its registered instances listens to. */
    static Map<String, Set<String>> read(String redisUrl, String namespace, java.util.function.Consumer<String> notice) {
        if (!redisUrl.startsWith("redis://") && !redisUrl.startsWith("rediss://")) {
            throw new CompatException("--registrations takes a redis:// or rediss:// URL (redis://[user:password@]host:port), not '" + redisUrl + "'");
        }
        RedissonClient redis;
        try {
            redis = RedisClients.create(redisUrl);
        } catch (RuntimeException e) {
            throw new CompatException("cannot reach the bus's Redis at " + redisUrl + " to read who listens: " + e.getMessage()
                    + " (leave out --registrations to check without naming listeners)", e);
        }
        try {
            Map<String, String> unreadable = new TreeMap<>();
            Map<String, Set<String>> out = new TreeMap<>();
            for (Registration r : new dev.herald.runtime.stream.Registry(redis, new RedisKeys(namespace)).read(unreadable).values()) {
                out.computeIfAbsent(r.service(), k -> new TreeSet<>()).addAll(r.listensTo());
            }
            // a registration the SDK cannot read is left out, and said, so that nobody trusts a short list
            unreadable.forEach((field, why) -> notice.accept("the registration " + field + " in " + namespace + ":{registry}"
                    + " cannot be read (" + why + "); its listeners are not named"));
            return out;
        } finally {
            redis.shutdown();
        }
    }
}
