package dev.herald.broker;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A real redis-server (the binary shipped in {@code com.github.codemonstur:embedded-redis},
 * Redis 6.2) on a loopback port, without persistence. Used by the broker when no Redis URL is
 * given, by the test kit and by the benchmark. {@link #close()} stops it; a JVM shutdown hook
 * stops it too, so no redis-server outlives the JVM.
 */
public final class EmbeddedRedis implements AutoCloseable {

    private final RedisServer server;
    private final int port;

    private EmbeddedRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts on a free loopback port. */
    public static EmbeddedRedis start() {
        IOException last = null;
        for (int i = 0; i < 5; i++) {
            try {
                return start(freePort());
            } catch (UncheckedIOException e) {
                last = e.getCause();
            }
        }
        throw new UncheckedIOException("cannot start the embedded redis-server", last);
    }

    /** Starts on {@code port} (loopback only); a JVM shutdown hook kills it if nobody closed it. */
    public static EmbeddedRedis start(int port) {
        return start(port, true);
    }

    /**
     * Starts on {@code port}. With {@code killOnJvmExit} false the caller must close it (the
     * broker's main does, last in its own shutdown hook, so that Redis outlives the draining).
     */
    public static EmbeddedRedis start(int port, boolean killOnJvmExit) {
        try {
            RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no").setting("maxmemory-policy noeviction")
                    .onShutdownForceStop(killOnJvmExit).build();
            server.start();
            return new EmbeddedRedis(server, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded redis-server on port " + port, e);
        }
    }

    /** Whether nothing listens on this loopback port. */
    public static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public boolean isActive() {
        return server.isActive();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
