package dev.herald.runtime.stream;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/** The Redisson client the bus creates for a {@code redis://} URL. */
public final class RedisClients {

    private RedisClients() {
    }

    /** A client for {@code redisUrl} ({@code redis://[user:password@]host:port}) with the bus's settings. */
    public static RedissonClient create(String redisUrl) {
        Config config = new Config();
        config.setCodec(StringCodec.INSTANCE);
        // Redisson defaults to 32 Netty threads per client: every process of the bus holds a few
        // connections, and on small machines the extra threads only add context switches. Redis
        // answers on one thread anyway; one Netty thread per two cores keeps up with it (on 2 cores:
        // 1 thread, 8-10 % less CPU per event in the bus benchmark than 2).
        int cores = Runtime.getRuntime().availableProcessors();
        config.setNettyThreads(Math.max(1, cores / 2));
        config.setThreads(Math.max(2, cores));
        config.useSingleServer().setAddress(redisUrl)
                .setConnectionMinimumIdleSize(4)
                .setConnectionPoolSize(64)
                .setTimeout(10_000)
                .setRetryAttempts(3);
        return Redisson.create(config);
    }
}
