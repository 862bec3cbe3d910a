package dev.herald.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.BaseConfig;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;

/**
 * How the bus reaches Redis, the same for every entry point (Messenger, Worker, broker, test kit):
 * one server ({@code redis://} or {@code rediss://} URL), a Redis Cluster by some of its nodes,
 * or Redisson's own YAML file (Sentinel, TLS key and trust stores, pools). Credentials may come
 * from the environment instead of the URL; {@link #toString()} never shows a password.
 *
 * <p>On a cluster every read goes to the primary: a replica may not yet have the registration a
 * broker routes by, or the consumer group a worker reads from.
 */
public final class RedisConnection {

    /** Environment variables (each also as {@code <name>_FILE}: the path of a file holding it, as container secrets are mounted). */
    public static final String ENV_USERNAME = "HERALD_REDIS_USERNAME";
    public static final String ENV_PASSWORD = "HERALD_REDIS_PASSWORD";

    private enum Kind { SINGLE, CLUSTER, REDISSON_FILE }

    private final Kind kind;
    private final List<String> addresses;
    private final Path redissonFile;
    private final String username;
    private final String password;

    private RedisConnection(Kind kind, List<String> addresses, Path redissonFile, String username, String password) {
        this.kind = kind;
        this.addresses = List.copyOf(addresses);
        this.redissonFile = redissonFile;
        this.username = username;
        this.password = password;
    }

    /** One Redis server: {@code redis://[user:password@]host:port} or {@code rediss://...} (TLS). */
    public static RedisConnection url(String url) {
        return new RedisConnection(Kind.SINGLE, List.of(checkedAddress(url)), null, null, null);
    }

    /** A Redis Cluster by one or more of its nodes ({@code host:port} or a {@code redis://}/{@code rediss://} URL each); the client finds the rest. */
    public static RedisConnection cluster(List<String> nodes) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a Redis Cluster needs at least one node (host:port)");
        }
        List<String> list = new ArrayList<>();
        for (String n : nodes) {
            String t = n.trim();
            list.add(checkedAddress(t.contains("://") ? t : "redis://" + t));
        }
        return new RedisConnection(Kind.CLUSTER, list, null, null, null);
    }

    /** {@code "host:port,host:port"} as {@link #cluster(List)}. */
    public static RedisConnection cluster(String commaSeparatedNodes) {
        return cluster(List.of(commaSeparatedNodes.split(",")));
    }

    /** Redisson's YAML configuration file, for what the other forms do not cover (Sentinel, TLS stores, pools). */
    public static RedisConnection redissonConfig(Path yaml) {
        if (!Files.isRegularFile(yaml)) {
            throw new IllegalArgumentException("the Redisson configuration file " + yaml + " does not exist");
        }
        return new RedisConnection(Kind.REDISSON_FILE, List.of(), yaml, null, null);
    }

    /** These credentials instead of any in the URL or file. */
    public RedisConnection credentials(String user, String secret) {
        return new RedisConnection(kind, addresses, redissonFile, user, secret);
    }

    /**
     * Credentials from {@link #ENV_USERNAME} and {@link #ENV_PASSWORD} (or their {@code _FILE}
     * forms) when set; unchanged otherwise.
     */
    public RedisConnection withCredentialsFrom(Map<String, String> env) {
        String user = secret(env, ENV_USERNAME);
        String secret = secret(env, ENV_PASSWORD);
        if (user == null && secret == null) {
            return this;
        }
        return credentials(user != null ? user : username, secret != null ? secret : password);
    }

    private static String secret(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value != null && !value.isEmpty()) {
            return value;
        }
        String file = env.get(name + "_FILE");
        if (file == null || file.isEmpty()) {
            return null;
        }
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + "_FILE (" + file + ")", e);
        }
    }

    private static String checkedAddress(String url) {
        if (url == null || !(url.startsWith("redis://") || url.startsWith("rediss://"))) {
            throw new IllegalArgumentException("a Redis address is redis://host:port or rediss://host:port (TLS), not '"
                    + RedisUrl.redacted(url) + "'");
        }
        return url;
    }

    /** Whether this is a Redis Cluster (by nodes; a YAML file may describe one too). */
    public boolean isCluster() {
        return kind == Kind.CLUSTER;
    }

    /** A Redisson client with the bus's settings. The caller shuts it down. */
    public RedissonClient connect() {
        return Redisson.create(config());
    }

    /** The Redisson configuration {@link #connect()} uses. */
    public Config config() {
        Config config;
        if (kind == Kind.REDISSON_FILE) {
            try {
                config = Config.fromYAML(redissonFile.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the Redisson configuration " + redissonFile, e);
            }
            if (config.isClusterConfig()) {
                config.useClusterServers().setReadMode(ReadMode.MASTER);
            }
        } else {
            config = new Config();
            // Redisson defaults to 32 Netty threads per client: every process of the bus holds a few
            // connections, and on small machines the extra threads only add context switches. Redis
            // answers on one thread anyway; one Netty thread per two cores keeps up with it (on 2 cores:
            // 1 thread, 8-10 % less CPU per event in the bus benchmark than 2).
            int cores = Runtime.getRuntime().availableProcessors();
            config.setNettyThreads(Math.max(1, cores / 2));
            config.setThreads(Math.max(2, cores));
            // Redisson's object references (an RObject stored inside another) make it look up
            // annotations on every key and value it encodes; the bus stores only strings (2 % of the
            // bus benchmark's CPU samples, 13 % of the acknowledgement threads')
            config.setReferenceEnabled(false);
        }
        config.setCodec(StringCodec.INSTANCE);
        BaseConfig<?> server = switch (kind) {
            case SINGLE -> config.useSingleServer().setAddress(addresses.get(0))
                    .setConnectionMinimumIdleSize(4).setConnectionPoolSize(64)
                    .setTimeout(10_000).setRetryAttempts(3).setRetryDelay(RETRY_DELAY);
            case CLUSTER -> config.useClusterServers().addNodeAddress(addresses.toArray(String[]::new))
                    .setReadMode(ReadMode.MASTER)
                    .setMasterConnectionMinimumIdleSize(4).setMasterConnectionPoolSize(64)
                    // learn of a promoted replica within a second, not Redisson's default five
                    .setScanInterval(1_000)
                    .setTimeout(10_000).setRetryAttempts(3).setRetryDelay(RETRY_DELAY);
            case REDISSON_FILE -> null;
        };
        if (username != null || password != null) {
            BaseConfig<?> target = server != null ? server
                    : config.isClusterConfig() ? config.useClusterServers()
                    : config.isSentinelConfig() ? config.useSentinelServers()
                    : config.useSingleServer();
            target.setUsername(username);
            target.setPassword(password);
        }
        return config;
    }

    /** Where it connects, for logs and errors: never a password. */
    @Override
    public String toString() {
        String who = username != null ? " as " + username : "";
        return switch (kind) {
            case SINGLE -> RedisUrl.redacted(addresses.get(0)) + who;
            case CLUSTER -> "Redis Cluster " + String.join(",", addresses.stream().map(RedisUrl::redacted).toList()) + who;
            case REDISSON_FILE -> "Redisson configuration " + redissonFile + who;
        };
    }

    /**
     * Redisson's default retry delay, except that the first retry waits exactly one second. Redisson
     * sizes its timer's tick from the first delay: a multiple of 100 ms gives a 100 ms tick, the
     * default's jittered first delay a 10–49 ms one — 20 to 100 wake-ups a second in every idle
     * process (7.5 ms of CPU per second measured by the idle benchmark). Later retries keep the jitter.
     */
    static final org.redisson.config.DelayStrategy RETRY_DELAY = new org.redisson.config.DelayStrategy() {
        private final org.redisson.config.DelayStrategy jittered =
                new org.redisson.config.EqualJitterDelay(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(2));

        @Override
        public java.time.Duration calcDelay(int attempt) {
            return attempt == 0 ? java.time.Duration.ofSeconds(1) : jittered.calcDelay(attempt);
        }
    };
}
