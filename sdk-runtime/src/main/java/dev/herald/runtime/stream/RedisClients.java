package dev.herald.runtime.stream;

import dev.herald.runtime.RedisConnection;
import org.redisson.api.RedissonClient;

/** The Redisson client the bus creates for a {@code redis://} URL (see {@link RedisConnection} for the other forms). */
public final class RedisClients {

    private RedisClients() {
    }

    /** A client for {@code redisUrl} ({@code redis://[user:password@]host:port}) with the bus's settings. */
    public static RedissonClient create(String redisUrl) {
        return RedisConnection.url(redisUrl).connect();
    }
}
