package dev.herald.bench.bus;

import dev.herald.broker.EmbeddedRedis;
import dev.herald.broker.EmbeddedRedisCluster;
import dev.herald.runtime.RedisConnection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the benchmark runs: one embedded redis-server, or a local cluster of three primaries with a
 * replica each. Counters (commands, CPU) are read from every primary over a bare connection and
 * summed; {@link #commandsPerNode} keeps them apart, for commands per event per shard.
 */
final class Target implements AutoCloseable {

    private final RedisConnection connection;
    private final List<Integer> primaries;
    private final AutoCloseable server;
    final String label;
    private final String url;

    private Target(RedisConnection connection, String url, List<Integer> primaries, AutoCloseable server, String label) {
        this.connection = connection;
        this.url = url;
        this.primaries = primaries;
        this.server = server;
        this.label = label;
    }

    static Target single(EmbeddedRedis redis) {
        return new Target(RedisConnection.url(redis.url()), redis.url(), List.of(redis.port()), () -> { }, "one redis-server");
    }

    static Target cluster() {
        EmbeddedRedisCluster c = EmbeddedRedisCluster.start();
        return new Target(c.connection(), null, List.of(c.primaryPort(0), c.primaryPort(1), c.primaryPort(2)), c,
                "a local cluster of 3 primaries with a replica each");
    }

    /** The redis:// URL of a single server (null for a cluster). */
    String url() {
        return url;
    }

    RedisConnection connection() {
        return connection;
    }

    int shards() {
        return primaries.size();
    }

    void flushAll() throws IOException {
        for (int p : primaries) {
            try (RedisInfo r = new RedisInfo(p)) {
                r.command("FLUSHALL");
            }
        }
    }

    /** Calls per command on all primaries together. */
    Map<String, Long> commandCalls() throws IOException {
        Map<String, Long> sum = new TreeMap<>();
        for (int p : primaries) {
            try (RedisInfo r = new RedisInfo(p)) {
                r.commandCalls().forEach((k, v) -> sum.merge(k, v, Long::sum));
            }
        }
        return sum;
    }

    /** All commands so far, per primary (minus INFO). */
    List<Long> commandsPerNode() throws IOException {
        List<Long> out = new ArrayList<>();
        for (int p : primaries) {
            try (RedisInfo r = new RedisInfo(p)) {
                out.add(r.commandCalls().entrySet().stream().filter(e -> !e.getKey().equals("info")).mapToLong(Map.Entry::getValue).sum());
            }
        }
        return out;
    }

    /** redis-server CPU seconds, all primaries. */
    double cpuSeconds() throws IOException {
        double s = 0;
        for (int p : primaries) {
            try (RedisInfo r = new RedisInfo(p)) {
                s += Double.parseDouble(r.field("cpu", "used_cpu_user")) + Double.parseDouble(r.field("cpu", "used_cpu_sys"));
            }
        }
        return s;
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
