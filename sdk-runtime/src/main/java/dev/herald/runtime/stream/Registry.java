package dev.herald.runtime.stream;

import dev.herald.runtime.RedisKeys;
import dev.herald.runtime.Registration;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * What every service instance listens to. Each instance stores its own registration (field
 * {@code <instance>} of its service's hash {@code <ns>:{registry}:svc:<service>}, so that a Redis
 * ACL user per service can be allowed its own registrations and no other's) and refreshes when it
 * was last seen ({@code <ns>:{registry}:seen:<service>}) with its heartbeat; the service's name goes
 * into the index ({@code <ns>:{registry}:index}). A service gets what any registration of it
 * listens to, so two versions of a service running at once (a rolling deploy, a canary) get the
 * union of what they listen to, and an old instance restarting cannot take a new event type away
 * from a new one. A service whose instances were all gone for longer than the retention is
 * removed ({@link #expire}); until then its events keep queueing.
 *
 * <p>Every change replaces the registry version (a random token) in the same atomic step, which
 * is how brokers know to read the registrations again.
 */
public final class Registry {

    /** Registers again an instance whose registration is missing (expired, or deleted by hand), then records the beat. */
    private static final String BEAT = String.join("\n",
            "if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then",
            "  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])",
            "  redis.call('SADD', KEYS[4], ARGV[5])",
            "  redis.call('SET', KEYS[3], ARGV[4])",
            "end",
            "redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])",
            "return 1");

    /**
     * Removes registrations not seen since ARGV[1]; one never seen gets ARGV[2] (its retention
     * starts now). Walks the index (KEYS[1]); each service's keys are the prefixes ARGV[4], ARGV[5]
     * plus its name, in the same slot ({registry}). Returns the removed {@code service/instance}.
     */
    private static final String EXPIRE = String.join("\n",
            "local removed = {}",
            "for _, s in ipairs(redis.call('SMEMBERS', KEYS[1])) do",
            "  local regs = ARGV[4] .. s",
            "  local seenKey = ARGV[5] .. s",
            "  for _, f in ipairs(redis.call('HKEYS', regs)) do",
            "    local seen = redis.call('HGET', seenKey, f)",
            "    if not seen then",
            "      redis.call('HSET', seenKey, f, ARGV[2])",
            "    elseif tonumber(seen) < tonumber(ARGV[1]) then",
            "      redis.call('HDEL', regs, f)",
            "      redis.call('HDEL', seenKey, f)",
            "      removed[#removed + 1] = s .. '/' .. f",
            "    end",
            "  end",
            "  for _, f in ipairs(redis.call('HKEYS', seenKey)) do",
            "    if redis.call('HEXISTS', regs, f) == 0 then redis.call('HDEL', seenKey, f) end",
            "  end",
            "  if redis.call('EXISTS', regs) == 0 then redis.call('SREM', KEYS[1], s) end",
            "end",
            "if #removed > 0 then redis.call('SET', KEYS[2], ARGV[3]) end",
            "return removed");

    /** How long a service may be gone before its registrations expire, unless configured: a week. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    private final RedissonClient redisson;
    private final RedisKeys keys;

    public Registry(RedissonClient redisson, RedisKeys keys) {
        this.redisson = redisson;
        this.keys = keys;
    }

    /** How an instance's registration is named in logs and by {@link #read}: {@code <service>/<instance>}. */
    public static String field(Registration reg) {
        return reg.service() + "/" + reg.instance();
    }

    /** Stores {@code reg}; once the future completes, brokers see it. */
    public CompletableFuture<Void> register(Registration reg) {
        RBatch batch = atomic();
        batch.<String, String>getMap(keys.registrations(reg.service()), StringCodec.INSTANCE).fastPutAsync(reg.instance(), reg.toJson());
        batch.<String, String>getMap(keys.registrySeen(reg.service()), StringCodec.INSTANCE).fastPutAsync(reg.instance(),
                Long.toString(System.currentTimeMillis()));
        batch.<String>getSet(keys.registryIndex(), StringCodec.INSTANCE).addAsync(reg.service());
        batch.<String>getBucket(keys.registryVersion(), StringCodec.INSTANCE).setAsync(newVersion());
        return batch.executeAsync().toCompletableFuture().thenApply(r -> null);
    }

    /**
     * Marks {@code reg}'s instance as stopped (a clean close): while another instance of its
     * service runs, the service is routed by the running ones only, so an event type the new
     * version dropped stops being routed once the old one is gone.
     */
    public CompletableFuture<Void> stop(Registration reg, String at) {
        RBatch batch = atomic();
        batch.<String, String>getMap(keys.registrations(reg.service()), StringCodec.INSTANCE).fastPutAsync(reg.instance(), reg.stopped(at).toJson());
        batch.<String>getBucket(keys.registryVersion(), StringCodec.INSTANCE).setAsync(newVersion());
        return batch.executeAsync().toCompletableFuture().thenApply(r -> null);
    }

    /** Removes the registration of one instance of {@code service}. */
    public CompletableFuture<Void> unregister(String service, String instance) {
        RBatch batch = atomic();
        batch.<String, String>getMap(keys.registrations(service), StringCodec.INSTANCE).fastRemoveAsync(instance);
        batch.<String, String>getMap(keys.registrySeen(service), StringCodec.INSTANCE).fastRemoveAsync(instance);
        batch.<String>getBucket(keys.registryVersion(), StringCodec.INSTANCE).setAsync(newVersion());
        return batch.executeAsync().toCompletableFuture().thenApply(r -> null);
    }

    /** Records that {@code reg}'s instance is alive, and registers it again if its registration is gone. */
    public void heartbeat(Registration reg) {
        redisson.getScript(StringCodec.INSTANCE).eval(keys.registryVersion(), RScript.Mode.READ_WRITE, BEAT, RScript.ReturnType.LONG,
                List.of(keys.registrations(reg.service()), keys.registrySeen(reg.service()), keys.registryVersion(), keys.registryIndex()),
                reg.instance(), reg.toJson(), Long.toString(System.currentTimeMillis()), newVersion(), reg.service());
    }

    /**
     * Every readable registration, by {@code <service>/<instance>}; unreadable ones go to
     * {@code unreadable} (that name to the reason).
     */
    public Map<String, Registration> read(Map<String, String> unreadable) {
        Set<String> services = redisson.<String>getSet(keys.registryIndex(), StringCodec.INSTANCE).readAll();
        RBatch batch = redisson.createBatch();
        Map<String, RFuture<Map<String, String>>> replies = new TreeMap<>();
        for (String service : services) {
            replies.put(service, batch.<String, String>getMap(keys.registrations(service), StringCodec.INSTANCE).readAllMapAsync());
        }
        if (!replies.isEmpty()) {
            batch.execute();
        }
        Map<String, String> stored = new TreeMap<>();
        replies.forEach((service, reply) -> reply.toCompletableFuture().join()
                .forEach((instance, json) -> stored.put(service + "/" + instance, json)));
        return Registration.readAll(stored, unreadable);
    }

    /** The registry version: changes with every registration change. */
    public String version() {
        String v = redisson.<String>getBucket(keys.registryVersion(), StringCodec.INSTANCE).get();
        return v == null ? "" : v;
    }

    /** Removes the registrations of instances not seen for longer than {@code retention}; returns them ({@code service/instance}). */
    public List<String> expire(Duration retention) {
        long now = System.currentTimeMillis();
        List<String> removed = redisson.getScript(StringCodec.INSTANCE).eval(keys.registryVersion(), RScript.Mode.READ_WRITE, EXPIRE,
                RScript.ReturnType.LIST, List.of(keys.registryIndex(), keys.registryVersion()),
                Long.toString(now - retention.toMillis()), Long.toString(now), newVersion(), keys.registrationsPrefix(), keys.registrySeenPrefix());
        return removed == null ? List.of() : removed;
    }

    private RBatch atomic() {
        return redisson.createBatch(BatchOptions.defaults().executionMode(BatchOptions.ExecutionMode.REDIS_WRITE_ATOMIC));
    }

    private static String newVersion() {
        return UUID.randomUUID().toString();
    }
}
