package dev.herald.broker;

import dev.herald.runtime.RedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import redis.embedded.RedisServer;

/**
 * A real local Redis Cluster from the embedded redis-server binary (Redis 6.2): three primaries,
 * each with one replica, on free loopback ports. Slots are assigned and the nodes met from Java
 * (no {@code redis-cli}); {@link #start()} returns once every slot is served and every replica
 * follows its primary. For the tests and the benchmark: no persistence.
 */
public final class EmbeddedRedisCluster implements AutoCloseable {

    public static final int SLOTS = 16384;

    private final List<RedisServer> servers;
    private final List<Integer> ports;
    private final int primaries;
    private final Path dir;

    private EmbeddedRedisCluster(List<RedisServer> servers, List<Integer> ports, int primaries, Path dir) {
        this.servers = servers;
        this.ports = ports;
        this.primaries = primaries;
        this.dir = dir;
    }

    /** Three primaries with one replica each. */
    public static EmbeddedRedisCluster start() {
        return start(3, 1);
    }

    public static EmbeddedRedisCluster start(int primaries, int replicasEach) {
        Path dir;
        try {
            dir = Files.createTempDirectory("herald-cluster");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int n = primaries * (1 + replicasEach);
        List<RedisServer> servers = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        EmbeddedRedisCluster cluster = new EmbeddedRedisCluster(servers, ports, primaries, dir);
        try {
            for (int i = 0; i < n; i++) {
                int port = EmbeddedRedis.freePort();
                RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                        .setting("cluster-enabled yes")
                        .setting("cluster-config-file nodes-" + port + ".conf")
                        // long enough that a node starved of CPU on a loaded machine is not voted dead
                        .setting("cluster-node-timeout 3000")
                        .setting("dir " + dir)
                        .setting("save \"\"").setting("appendonly no").setting("maxmemory-policy noeviction")
                        .onShutdownForceStop(true).build();
                server.start();
                servers.add(server);
                ports.add(port);
            }
            cluster.form(replicasEach);
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw new IllegalStateException("cannot start a local Redis Cluster: " + e.getMessage(), e);
        }
    }

    private void form(int replicasEach) {
        for (int p = 0; p < primaries; p++) {
            List<String> cmd = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
            for (int slot = SLOTS * p / primaries; slot < SLOTS * (p + 1) / primaries; slot++) {
                cmd.add(Integer.toString(slot));
            }
            try (Resp r = new Resp(ports.get(p))) {
                r.call(cmd);
            }
        }
        for (int i = 1; i < ports.size(); i++) {
            try (Resp r = new Resp(ports.get(i))) {
                r.call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(ports.get(0)));
            }
        }
        await("every node to know the others", () -> {
            for (int port : ports) {
                try (Resp r = new Resp(port)) {
                    String nodes = (String) r.call("CLUSTER", "NODES");
                    if (nodes.lines().count() < ports.size() || nodes.contains("handshake")) {
                        return false;
                    }
                }
            }
            return true;
        });
        for (int k = 0; k < replicasEach; k++) {
            for (int p = 0; p < primaries; p++) {
                String primaryId;
                try (Resp r = new Resp(ports.get(p))) {
                    primaryId = (String) r.call("CLUSTER", "MYID");
                }
                try (Resp r = new Resp(ports.get(primaries * (1 + k) + p))) {
                    r.call("CLUSTER", "REPLICATE", primaryId);
                }
            }
        }
        await("every slot to be served and every replica to follow its primary", () -> {
            for (int i = 0; i < ports.size(); i++) {
                try (Resp r = new Resp(ports.get(i))) {
                    if (!((String) r.call("CLUSTER", "INFO")).contains("cluster_state:ok")) {
                        return false;
                    }
                    if (i >= primaries && !((String) r.call("INFO", "replication")).contains("master_link_status:up")) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    private static void await(String what, java.util.function.BooleanSupplier done) {
        long until = System.nanoTime() + 30_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what);
            }
        }
    }

    /** {@code 127.0.0.1:port} of every node, primaries first. */
    public List<String> nodes() {
        return ports.stream().map(p -> "127.0.0.1:" + p).toList();
    }

    /** The port of primary {@code i} as it was started (0 to primaries - 1). */
    public int primaryPort(int i) {
        return ports.get(i);
    }

    /** The port of the primary that was started with the slot of {@code key} (before any failover). */
    public int primaryPortFor(String key) {
        long slot;
        try (Resp r = new Resp(ports.get(0))) {
            slot = (Long) r.call("CLUSTER", "KEYSLOT", key);
        }
        for (int p = 0; p < primaries; p++) {
            if (slot >= SLOTS * p / primaries && slot < SLOTS * (p + 1) / primaries) {
                return ports.get(p);
            }
        }
        throw new IllegalStateException("slot " + slot + " is not assigned");
    }

    /** How the bus connects to this cluster. */
    public RedisConnection connection() {
        return RedisConnection.cluster(nodes());
    }

    private final java.util.Set<Integer> killed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Stops one node at once (a crash: no failover command), e.g. a primary, so that its replica is
     * promoted. The cluster promotes it by itself after the node timeout; on a loaded two-core
     * machine that election was seen not to happen within 30 s, so if the replica is still a
     * replica after {@link #ELECTION_GRACE_MS} it is told to take over ({@code CLUSTER FAILOVER
     * TAKEOVER}), as an operator would.
     */
    public void kill(int port) {
        int i = ports.indexOf(port);
        killed.add(port);
        try {
            servers.get(i).stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (i < primaries) {
            Thread guard = new Thread(() -> {
                try {
                    Thread.sleep(ELECTION_GRACE_MS);
                } catch (InterruptedException e) {
                    return;
                }
                for (int k = 0; primaries * (1 + k) + i < ports.size(); k++) {
                    int replica = ports.get(primaries * (1 + k) + i);
                    if (killed.contains(replica)) {
                        continue;
                    }
                    try (Resp r = new Resp(replica)) {
                        Object role = ((List<?>) r.call("ROLE")).get(0);
                        if ("slave".equals(role)) {
                            r.call("CLUSTER", "FAILOVER", "TAKEOVER");
                        }
                        return; // one replica promoted (by the election or now) is enough
                    } catch (RuntimeException e) {
                        // gone or not answering: try the next replica
                    }
                }
            }, "cluster-failover-guard");
            guard.setDaemon(true);
            guard.start();
        }
    }

    /** How long the cluster gets to elect a replica by itself (node timeout 3 s) before one is told to take over. */
    static final long ELECTION_GRACE_MS = 8_000;

    /**
     * Waits until every slot is served again by a live primary (after {@link #kill}, by the
     * promoted replica) and every live node says the cluster is ok.
     */
    public void awaitHealthy() {
        await("every slot to be served by a live primary", () -> {
            for (int i = 0; i < ports.size(); i++) {
                if (killed.contains(ports.get(i))) {
                    continue;
                }
                try (Resp r = new Resp(ports.get(i))) {
                    if (!((String) r.call("CLUSTER", "INFO")).contains("cluster_state:ok")) {
                        return false;
                    }
                    long served = 0;
                    for (Object range : (List<?>) r.call("CLUSTER", "SLOTS")) {
                        List<?> slot = (List<?>) range;
                        int masterPort = ((Long) ((List<?>) slot.get(2)).get(1)).intValue();
                        if (killed.contains(masterPort)) {
                            return false;
                        }
                        served += (Long) slot.get(1) - (Long) slot.get(0) + 1;
                    }
                    if (served != SLOTS) {
                        return false;
                    }
                } catch (RuntimeException e) {
                    return false;
                }
            }
            return true;
        });
    }

    @Override
    public void close() {
        for (RedisServer s : servers) {
            try {
                if (s.isActive()) {
                    s.stop();
                }
            } catch (IOException e) {
                // stopping a test cluster: go on with the others
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind
        }
    }
}
