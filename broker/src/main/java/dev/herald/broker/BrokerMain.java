package dev.herald.broker;

import dev.herald.runtime.Catalog;
import org.redisson.api.RedissonClient;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar herald-broker.jar [options]}. Every option can also come from the
 * environment; a flag wins over the environment.
 *
 * <pre>
 *   --redis-url URL     HERALD_REDIS_URL            Redis to use (redis:// or rediss://); none: start an embedded one
 *   --redis-cluster N   HERALD_REDIS_CLUSTER        a Redis Cluster by some of its nodes: host:port[,host:port...]
 *   --redisson-config F HERALD_REDISSON_CONFIG      Redisson's YAML file (Sentinel, TLS stores, pools)
 *                       HERALD_REDIS_USERNAME, HERALD_REDIS_PASSWORD (or ..._FILE): credentials, never logged
 *   --namespace NS      HERALD_NAMESPACE            key prefix (default: the catalog's, else herald)
 *   --concurrency N     HERALD_BROKER_CONCURRENCY   consumer threads (default 2)
 *   --batch N           HERALD_BROKER_BATCH         entries per read (default 500)
 *   --claim-idle-ms MS  HERALD_BROKER_CLAIM_IDLE_MS when another broker's entries count as abandoned (default 30000)
 *   --port N            HERALD_EMBEDDED_PORT        port of the embedded Redis (default 6379 if free, else any)
 *   --allow-eviction    HERALD_ALLOW_EVICTION=true  start on a Redis that may evict streams (refused otherwise)
 *   --max-envelope-bytes N HERALD_MAX_ENVELOPE_BYTES larger inbox entries are dead-lettered as too-large (default 1 MiB)
 *   --max-deliveries N  HERALD_MAX_DELIVERIES       reads of an entry before it is dead-lettered as delivery-limit (default 10)
 *   --registration-retention D HERALD_REGISTRATION_RETENTION  registrations of instances silent longer expire (default 7d)
 *   --http-port N       HERALD_HTTP_PORT            health, metrics and the console (default 8080; taken: a free one)
 *   --http-host H       HERALD_HTTP_HOST            address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
 *                       HERALD_CONSOLE_TOKEN        token for the console's actions when not on loopback
 *   --demo                                          also run two sample services with a live summary
 * </pre>
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    /** Parsed configuration. */
    record Options(String redisUrl, String redisCluster, String redissonConfig, String namespace, int concurrency, int batch, long claimIdleMs, Integer port, boolean demo,
                   boolean allowEviction, int maxEnvelopeBytes, int maxDeliveries, Duration registrationRetention, boolean help,
                   String httpHost, int httpPort) {

        static Options parse(String[] args, Map<String, String> env) {
            String redisUrl = env.get("HERALD_REDIS_URL");
            String redisCluster = env.get("HERALD_REDIS_CLUSTER");
            String redissonConfig = env.get("HERALD_REDISSON_CONFIG");
            String namespace = env.get("HERALD_NAMESPACE");
            int concurrency = intOf(env.get("HERALD_BROKER_CONCURRENCY"), 2, "HERALD_BROKER_CONCURRENCY");
            int batch = intOf(env.get("HERALD_BROKER_BATCH"), 500, "HERALD_BROKER_BATCH");
            long claimIdle = intOf(env.get("HERALD_BROKER_CLAIM_IDLE_MS"), 30_000, "HERALD_BROKER_CLAIM_IDLE_MS");
            int maxEnvelope = intOf(env.get("HERALD_MAX_ENVELOPE_BYTES"), dev.herald.runtime.Envelope.DEFAULT_MAX_BYTES, "HERALD_MAX_ENVELOPE_BYTES");
            int maxDeliveries = intOf(env.get("HERALD_MAX_DELIVERIES"), 10, "HERALD_MAX_DELIVERIES");
            Duration retention = durationOf(env.get("HERALD_REGISTRATION_RETENTION"), dev.herald.runtime.stream.Registry.DEFAULT_RETENTION,
                    "HERALD_REGISTRATION_RETENTION");
            Integer port = env.get("HERALD_EMBEDDED_PORT") == null ? null : intOf(env.get("HERALD_EMBEDDED_PORT"), 0, "HERALD_EMBEDDED_PORT");
            String httpHost = env.getOrDefault("HERALD_HTTP_HOST", "127.0.0.1");
            int httpPort = intOf(env.get("HERALD_HTTP_PORT"), 8080, "HERALD_HTTP_PORT");
            boolean demo = false;
            boolean allowEviction = "true".equalsIgnoreCase(env.get("HERALD_ALLOW_EVICTION"));
            boolean help = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String value = null;
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 0) {
                    value = a.substring(eq + 1);
                    a = a.substring(0, eq);
                }
                switch (a) {
                    case "--demo" -> demo = true;
                    case "--allow-eviction" -> allowEviction = true;
                    case "-h", "--help" -> help = true;
                    case "--redis-url", "--redis-cluster", "--redisson-config", "--namespace", "--concurrency", "--batch", "--claim-idle-ms", "--port", "--max-envelope-bytes",
                         "--max-deliveries", "--registration-retention", "--http-port", "--http-host" -> {
                        if (value == null) {
                            if (i + 1 >= args.length) {
                                throw new IllegalArgumentException(a + " needs a value");
                            }
                            value = args[++i];
                        }
                        switch (a) {
                            case "--redis-url" -> redisUrl = value;
                            case "--redis-cluster" -> redisCluster = value;
                            case "--redisson-config" -> redissonConfig = value;
                            case "--namespace" -> namespace = value;
                            case "--concurrency" -> concurrency = intOf(value, 2, a);
                            case "--batch" -> batch = intOf(value, 500, a);
                            case "--claim-idle-ms" -> claimIdle = intOf(value, 30_000, a);
                            case "--max-envelope-bytes" -> maxEnvelope = intOf(value, 0, a);
                            case "--max-deliveries" -> maxDeliveries = intOf(value, 0, a);
                            case "--registration-retention" -> retention = durationOf(value, null, a);
                            case "--http-port" -> httpPort = intOf(value, 0, a);
                            case "--http-host" -> httpHost = value;
                            default -> port = intOf(value, 0, a);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
                }
            }
            redisUrl = blankToNull(redisUrl);
            redisCluster = blankToNull(redisCluster);
            redissonConfig = blankToNull(redissonConfig);
            if ((redisUrl != null ? 1 : 0) + (redisCluster != null ? 1 : 0) + (redissonConfig != null ? 1 : 0) > 1) {
                throw new IllegalArgumentException("give one of --redis-url, --redis-cluster and --redisson-config (or their HERALD_ variables)");
            }
            // refuse nonsense before anything starts (a batch of 0 would read nothing, forever)
            atLeastOne(concurrency, "--concurrency / HERALD_BROKER_CONCURRENCY");
            atLeastOne(batch, "--batch / HERALD_BROKER_BATCH");
            atLeastOne(claimIdle, "--claim-idle-ms / HERALD_BROKER_CLAIM_IDLE_MS");
            atLeastOne(maxEnvelope, "--max-envelope-bytes / HERALD_MAX_ENVELOPE_BYTES");
            atLeastOne(maxDeliveries, "--max-deliveries / HERALD_MAX_DELIVERIES");
            if (httpPort < 0 || httpPort > 65535) {
                throw new IllegalArgumentException("--http-port / HERALD_HTTP_PORT must be a TCP port (0-65535, 0 = any free port), got " + httpPort);
            }
            if (port != null && (port < 0 || port > 65535)) {
                throw new IllegalArgumentException("--port / HERALD_EMBEDDED_PORT must be a TCP port (0-65535, 0 = any free port), got " + port);
            }
            return new Options(redisUrl, redisCluster, redissonConfig, namespace, concurrency, batch, claimIdle, port, demo, allowEviction, maxEnvelope, maxDeliveries,
                    retention, help, httpHost, httpPort);
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.trim();
        }

        /** How to reach Redis, with the environment's credentials; null: none given (start an embedded one). */
        dev.herald.runtime.RedisConnection connection(Map<String, String> env) {
            dev.herald.runtime.RedisConnection c = redisUrl != null ? dev.herald.runtime.RedisConnection.url(redisUrl)
                    : redisCluster != null ? dev.herald.runtime.RedisConnection.cluster(redisCluster)
                    : redissonConfig != null ? dev.herald.runtime.RedisConnection.redissonConfig(java.nio.file.Path.of(redissonConfig))
                    : null;
            return c == null ? null : c.withCredentialsFrom(env);
        }

        private static void atLeastOne(long value, String what) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " must be at least 1, got " + value);
            }
        }

        /** {@code 7d}, {@code 12h}, {@code 30m}, {@code 90s}, or ISO-8601 ({@code PT12H}). */
        static Duration durationOf(String s, Duration dflt, String what) {
            if (s == null || s.isBlank()) {
                return dflt;
            }
            String t = s.trim();
            Duration d;
            try {
                if (t.matches("\\d+[dhms]")) {
                    long n = Long.parseLong(t.substring(0, t.length() - 1));
                    d = switch (t.charAt(t.length() - 1)) {
                        case 'd' -> Duration.ofDays(n);
                        case 'h' -> Duration.ofHours(n);
                        case 'm' -> Duration.ofMinutes(n);
                        default -> Duration.ofSeconds(n);
                    };
                } else {
                    d = Duration.parse(t);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(what + " must be a duration such as 7d, 12h, 30m, 90s or PT12H, got " + s);
            }
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(what + " must be positive, got " + s);
            }
            return d;
        }

        private static int intOf(String s, int dflt, String what) {
            if (s == null || s.isBlank()) {
                return dflt;
            }
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + " must be a number: " + s);
            }
        }
    }

    static final String USAGE = """
            Herald broker: checks what producers without the SDK write into the inbox and appends it to the
            event's topic; keeps the topics' consumer groups in line with the registrations; trims.

            usage: java -jar herald-broker.jar [options]
              --redis-url URL     (HERALD_REDIS_URL)            Redis to use (redis:// or rediss://); none: start an embedded Redis
              --redis-cluster N   (HERALD_REDIS_CLUSTER)        a Redis Cluster by some of its nodes: host:port[,host:port...]
              --redisson-config F (HERALD_REDISSON_CONFIG)      Redisson's YAML file (Sentinel, TLS key and trust stores, pools)
                                  HERALD_REDIS_USERNAME, HERALD_REDIS_PASSWORD (or ..._FILE) give credentials
              --namespace NS      (HERALD_NAMESPACE)            key prefix (default: the catalog's, else herald)
              --concurrency N     (HERALD_BROKER_CONCURRENCY)   consumer threads (default 2)
              --batch N           (HERALD_BROKER_BATCH)         entries per read (default 500)
              --claim-idle-ms MS  (HERALD_BROKER_CLAIM_IDLE_MS) when a dead broker's entries are claimed (default 30000)
              --port N            (HERALD_EMBEDDED_PORT)        port of the embedded Redis (default 6379 if free)
              --allow-eviction    (HERALD_ALLOW_EVICTION=true)  start even if Redis's maxmemory-policy may evict streams
              --max-envelope-bytes N (HERALD_MAX_ENVELOPE_BYTES) larger entries are dead-lettered (default 1048576)
              --max-deliveries N  (HERALD_MAX_DELIVERIES)       reads of an entry before it is dead-lettered (default 10)
              --registration-retention D (HERALD_REGISTRATION_RETENTION)
                                                                instances silent longer lose their registration (default 7d)
              --http-port N       (HERALD_HTTP_PORT)            health, metrics and the console (default 8080; if taken, a free one)
              --http-host H       (HERALD_HTTP_HOST)            address the console listens on (default 127.0.0.1; 0.0.0.0: every
                                                                interface, then the console's actions need HERALD_CONSOLE_TOKEN)
              --demo                                            also run two sample services with a live summary

            java -jar herald-broker.jar acl SERVICE=PATTERN,... prints the Redis ACL users (docs/security.md)
            """;

    static final String ACL_USAGE = """
            usage: java -jar herald-broker.jar acl [--namespace NS] SERVICE=PATTERN[,PATTERN...] ...
              prints the Redis 7 ACL SETUSER line of each service (it may send the events it owns, read
              the topics of what its patterns match, use its own keys and registration) and of a broker
              user; passwords are placeholders. See docs/security.md.
            """;

    /** {@code acl [--namespace NS] service=patterns...}: the ACL users of docs/security.md, from the catalog on the class path. */
    static void printAcl(List<String> args, PrintStream out) {
        Catalog catalog = Catalog.fromClasspath();
        String namespace = catalog.namespace() != null ? catalog.namespace() : "herald";
        List<String> services = new java.util.ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--namespace") && i + 1 < args.size()) {
                namespace = args.get(++i);
            } else if (a.startsWith("--namespace=")) {
                namespace = a.substring("--namespace=".length());
            } else if (a.contains("=") && !a.startsWith("-")) {
                services.add(a);
            } else {
                throw new IllegalArgumentException("acl: cannot read '" + a + "'");
            }
        }
        if (services.isEmpty()) {
            throw new IllegalArgumentException("acl: name at least one service and what it listens to, e.g. payment=order.created");
        }
        AclRecipe recipe = new AclRecipe(catalog, new dev.herald.runtime.RedisKeys(namespace));
        for (String s : services) {
            String service = s.substring(0, s.indexOf('='));
            if (!catalog.services().contains(service)) {
                throw new IllegalArgumentException("acl: '" + service + "' is not a service of the catalog (known: " + catalog.services() + ")");
            }
            List<String> patterns = List.of(s.substring(s.indexOf('=') + 1).split(","));
            out.println(AclRecipe.line(service, recipe.service(service, patterns, "<password of " + service + ">")));
        }
        out.println(AclRecipe.line("herald-broker", recipe.broker("<password of the brokers>")));
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("acl")) {
            try {
                printAcl(List.of(args).subList(1, args.length), System.out);
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                System.err.print(ACL_USAGE);
                System.exit(2);
            }
            return;
        }
        Options o;
        try {
            o = Options.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (o.help()) {
            System.out.print(USAGE);
            return;
        }
        try {
            run(o, System.getenv(), System.out);
        } catch (IllegalStateException refused) {
            System.err.println("herald-broker: " + refused.getMessage());
            System.exit(1);
        }
    }

    static void run(Options o, Map<String, String> env, PrintStream out) throws Exception {
        EmbeddedRedis embedded = null;
        dev.herald.runtime.RedisConnection connection = o.connection(env);
        if (connection == null) {
            int port = o.port() != null ? o.port() : EmbeddedRedis.portFree(6379) ? 6379 : EmbeddedRedis.freePort();
            embedded = EmbeddedRedis.start(port, false);
            connection = dev.herald.runtime.RedisConnection.url(embedded.url());
            out.println("No Redis given (--redis-url, --redis-cluster or --redisson-config): started an embedded Redis 6.2 on "
                    + embedded.url() + " (in memory only: its data goes when the broker stops).");
            out.println("Connect services to it with HERALD_REDIS_URL=" + embedded.url());
        }
        RedissonClient client;
        Broker broker;
        try {
            client = connection.connect();
        } catch (RuntimeException e) {
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
        io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry = BrokerHttp.newRegistry();
        dev.herald.runtime.micrometer.MicrometerMetrics metrics = new dev.herald.runtime.micrometer.MicrometerMetrics(registry);
        BrokerHttp http;
        try {
            broker = Broker.builder().redisson(client).namespace(o.namespace()).concurrency(o.concurrency()).metrics(metrics)
                    .batchSize(o.batch()).claimIdle(Duration.ofMillis(o.claimIdleMs())).allowEviction(o.allowEviction()).maxEnvelopeBytes(o.maxEnvelopeBytes())
                    .maxDeliveries(o.maxDeliveries()).registrationRetention(o.registrationRetention()).start();
            try {
                http = BrokerHttp.start(broker, o.httpHost(), o.httpPort(), env.get("HERALD_CONSOLE_TOKEN"), registry);
            } catch (java.io.IOException | RuntimeException e) {
                broker.close();
                throw new IllegalStateException("cannot serve HTTP on " + o.httpHost() + ":" + o.httpPort() + ": " + e.getMessage(), e);
            }
        } catch (RuntimeException e) {
            client.shutdown();
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
        out.println("Herald broker " + broker.id() + " routing namespace '" + broker.keys().namespace() + "' on "
                + connection + ". Ctrl-C stops it.");
        if (o.httpPort() != 0 && http.port() != o.httpPort()) {
            out.println("Port " + o.httpPort() + " is taken (--http-port / HERALD_HTTP_PORT): serving on " + http.port() + " instead.");
        }
        out.println("Console: " + http.url() + "   health: " + http.url() + "health/ready   metrics: " + http.url() + "metrics");
        Demo demo = o.demo() ? Demo.start(client, broker, out, metrics) : null;
        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedRedis redisToStop = embedded;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (demo != null) {
                    demo.stop();
                }
                if (redisToStop != null) {
                    // Ctrl-C reached the embedded redis-server too (same process group): it is gone,
                    // nothing can be drained or acknowledged; stop at once.
                    client.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
                }
                if (demo != null) {
                    demo.close();
                }
                http.close();
                broker.close();
                if (!client.isShutdown()) {
                    client.shutdown();
                }
            } catch (Exception e) {
                System.err.println("shutdown: " + e);
            } finally {
                if (redisToStop != null) {
                    redisToStop.close();
                }
                stopped.countDown();
            }
        }, "herald-broker-shutdown"));
        stopped.await();
    }
}
