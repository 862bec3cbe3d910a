package dev.herald.runtime.stream;

import dev.herald.runtime.RedisKeys;
import dev.herald.runtime.Registration;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * What every service instance listens to. Each instance stores its own registration (field
 * {@code <service>/<instance>} of {@code <ns>:{registry}:services}) and refreshes when it was last
 * seen ({@code <ns>:{registry}:seen}) with its heartbeat; a broker routes an event to a service if
 * any registration of it matches. So two versions of a service running at once (a rolling deploy,
 * a canary) get the union of what they listen to, and an old instance restarting cannot take a
 * new event type away from a new one. A service whose instances were all gone for longer than the
 * retention is removed ({@link #expire}); until then its events keep queueing in its stream.
 *
 * <p>Every change replaces the registry version (a random token) in the same atomic step, which
 * is how brokers know to read the registrations again.
 */
public final class Registry {

    /** Registers again an instance whose registration is missing (expired, or deleted by hand), then records the beat. */
    private static final String BEAT = String.join("\n",
            "if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then",
            "  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])",
            "  redis.call('SET', KEYS[3], ARGV[4])",
            "end",
            "redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])",
            "return 1");

    /** Removes registrations not seen since ARGV[1]; one never seen gets ARGV[2] (its retention starts now). */
    private static final String EXPIRE = String.join("\n",
            "local removed = {}",
            "for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do",
            "  local seen = redis.call('HGET', KEYS[2], f)",
            "  if not seen then",
            "    redis.call('HSET', KEYS[2], f, ARGV[2])",
            "  elseif tonumber(seen) < tonumber(ARGV[1]) then",
            "    redis.call('HDEL', KEYS[1], f)",
            "    redis.call('HDEL', KEYS[2], f)",
            "    removed[#removed + 1] = f",
            "  end",
            "end",
            "for _, f in ipairs(redis.call('HKEYS', KEYS[2])) do",
            "  if redis.call('HEXISTS', KEYS[1], f) == 0 then redis.call('HDEL', KEYS[2], f) end",
            "end",
            "if #removed > 0 then redis.call('SET', KEYS[3], ARGV[3]) end",
            "return removed");

    /** How long a service may be gone before its registrations expire, unless configured: a week. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    private final RedissonClient redisson;
    private final RedisKeys keys;

    public Registry(RedissonClient redisson, RedisKeys keys) {
        this.redisson = redisson;
        this.keys = keys;
    }

    /** The hash field of an instance's registration. */
    public static String field(Registration reg) {
        return reg.service() + "/" + reg.instance();
    }

    /** Stores {@code reg}; once the future completes, brokers route by it. */
    public CompletableFuture<Void> register(Registration reg) {
        RBatch batch = atomic();
        batch.<String, String>getMap(keys.registrations(), StringCodec.INSTANCE).fastPutAsync(field(reg), reg.toJson());
        batch.<String, String>getMap(keys.registrySeen(), StringCodec.INSTANCE).fastPutAsync(field(reg), Long.toString(System.currentTimeMillis()));
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
        batch.<String, String>getMap(keys.registrations(), StringCodec.INSTANCE).fastPutAsync(field(reg), reg.stopped(at).toJson());
        batch.<String>getBucket(keys.registryVersion(), StringCodec.INSTANCE).setAsync(newVersion());
        return batch.executeAsync().toCompletableFuture().thenApply(r -> null);
    }

    /** Removes the registration of one instance of {@code service}. */
    public CompletableFuture<Void> unregister(String service, String instance) {
        String field = service + "/" + instance;
        RBatch batch = atomic();
        batch.<String, String>getMap(keys.registrations(), StringCodec.INSTANCE).fastRemoveAsync(field);
        batch.<String, String>getMap(keys.registrySeen(), StringCodec.INSTANCE).fastRemoveAsync(field);
        batch.<String>getBucket(keys.registryVersion(), StringCodec.INSTANCE).setAsync(newVersion());
        return batch.executeAsync().toCompletableFuture().thenApply(r -> null);
    }

    /** Records that {@code reg}'s instance is alive, and registers it again if its registration is gone. */
    public void heartbeat(Registration reg) {
        redisson.getScript(StringCodec.INSTANCE).eval(keys.registrations(), RScript.Mode.READ_WRITE, BEAT, RScript.ReturnType.LONG,
                List.of(keys.registrations(), keys.registrySeen(), keys.registryVersion()),
                field(reg), reg.toJson(), Long.toString(System.currentTimeMillis()), newVersion());
    }

    /** Every readable registration, by field; unreadable ones go to {@code unreadable} (field to reason). */
    public Map<String, Registration> read(Map<String, String> unreadable) {
        return Registration.readAll(redisson.<String, String>getMap(keys.registrations(), StringCodec.INSTANCE).readAllMap(), unreadable);
    }

    /** The registry version: changes with every registration change. */
    public String version() {
        String v = redisson.<String>getBucket(keys.registryVersion(), StringCodec.INSTANCE).get();
        return v == null ? "" : v;
    }

    /** Removes the registrations of instances not seen for longer than {@code retention}; returns their fields. */
    public List<String> expire(Duration retention) {
        long now = System.currentTimeMillis();
        List<String> removed = redisson.getScript(StringCodec.INSTANCE).eval(keys.registrations(), RScript.Mode.READ_WRITE, EXPIRE,
                RScript.ReturnType.LIST, List.of(keys.registrations(), keys.registrySeen(), keys.registryVersion()),
                Long.toString(now - retention.toMillis()), Long.toString(now), newVersion());
        return removed == null ? List.of() : removed;
    }

    private RBatch atomic() {
        return redisson.createBatch(BatchOptions.defaults().executionMode(BatchOptions.ExecutionMode.REDIS_WRITE_ATOMIC));
    }

    private static String newVersion() {
        return UUID.randomUUID().toString();
    }
}
