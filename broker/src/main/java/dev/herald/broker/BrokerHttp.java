package dev.herald.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.herald.runtime.Json;
import dev.herald.runtime.micrometer.MicrometerMetrics;
import dev.herald.runtime.stream.BusState;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The broker's HTTP side, on the JDK's own server (no framework): health for orchestrators,
 * metrics for Prometheus, and the console with its JSON API. State-changing requests (replay,
 * delete) need the console token when the server listens beyond loopback, and a custom header
 * always, so that another web page cannot post to it from a browser (a cross-origin request with
 * a custom header needs a preflight, which this server never grants).
 */
public final class BrokerHttp implements AutoCloseable {

    /** Every request that changes state carries this header (the console's script sets it). */
    static final String ACTION_HEADER = "X-Herald-Console";
    static final String TOKEN_HEADER = "X-Herald-Token";
    /** How long the consumer threads may go without completing a round before the broker is not live. */
    static final Duration PROGRESS_WITHIN = Duration.ofSeconds(30);

    private final HttpServer server;
    private final ExecutorService pool;
    private final Broker broker;
    private final PrometheusMeterRegistry prometheus;
    private final ConsoleApi api;
    private final String token;
    private final boolean loopback;

    private BrokerHttp(HttpServer server, Broker broker, PrometheusMeterRegistry prometheus, String token, boolean loopback) {
        this.server = server;
        this.broker = broker;
        this.prometheus = prometheus;
        this.api = new ConsoleApi(broker, new Monitor(new BusState(broker.redisson(), broker.keys(), broker.catalog()), prometheus));
        this.token = token == null || token.isBlank() ? null : token;
        this.loopback = loopback;
        this.pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "herald-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        if (prometheus != null) {
            io.micrometer.core.instrument.Gauge.builder(READY, this, h -> h.ready).tag("broker", broker.id())
                    .description("1 while this broker is ready (as /health/ready), set at each scrape").register(prometheus);
        }
    }

    /** The readiness gauge's name: alert on no broker being ready (docs/operations.md). */
    public static final String READY = "herald.broker.ready";
    private volatile int ready;

    /** A registry for {@link MicrometerMetrics} whose meters {@code /metrics} serves. */
    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /**
     * Serves on {@code host:port}; if the port is taken, on a free one (the caller says which:
     * {@link #port}). {@code prometheus}: the registry the broker's {@link MicrometerMetrics} write to.
     */
    public static BrokerHttp start(Broker broker, String host, int port, String token, PrometheusMeterRegistry prometheus) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 64);
        } catch (BindException taken) {
            server = HttpServer.create(new InetSocketAddress(address, 0), 64);
        }
        BrokerHttp http = new BrokerHttp(server, broker, prometheus, token, address.isLoopbackAddress());
        server.start();
        return http;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The console's address, as a person would type it. */
    public String url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() || a.getAddress().isLoopbackAddress() ? "localhost" : a.getAddress().getHostAddress();
        return "http://" + host + ":" + a.getPort() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            String method = x.getRequestMethod();
            try {
                if (method.equals("GET") || method.equals("HEAD")) {
                    get(x, path);
                } else if (method.equals("POST")) {
                    post(x, path);
                } else {
                    send(x, 405, "text/plain", "only GET and POST");
                }
            } catch (IllegalArgumentException bad) {
                json(x, 400, Json.mapper().createObjectNode().put("error", bad.getMessage()));
            } catch (RuntimeException e) {
                json(x, 500, Json.mapper().createObjectNode().put("error", e.toString()));
            }
        }
    }

    private void get(HttpExchange x, String path) throws IOException {
        Map<String, String> q = query(x);
        switch (path) {
            case "/health/live" -> health(x, false);
            case "/health/ready" -> health(x, true);
            case "/metrics" -> {
                ready = readiness().path("status").asText().equals("UP") ? 1 : 0;
                if (ready == 1) {
                    try {
                        api.services(); // the gauges are set from a fresh reading
                    } catch (RuntimeException e) {
                        ready = 0; // Redis answered the check but not the reading: the gauges keep the last one
                    }
                }
                send(x, 200, "text/plain; version=0.0.4; charset=utf-8", prometheus.scrape());
            }
            case "/api/services" -> json(x, 200, api.services());
            case "/api/catalog" -> json(x, 200, api.catalog());
            case "/api/dead-letters" -> json(x, 200, api.deadLetters(required(q, "service"), Math.min(500, intOf(q.get("max"), 100))));
            case "/api/config" -> json(x, 200, Json.mapper().createObjectNode().put("actionsNeedToken", !loopback)
                    .put("actionsAllowed", loopback || token != null).put("namespace", broker.keys().namespace()));
            case "/", "/index.html" -> resource(x, "index.html", "text/html; charset=utf-8");
            case "/console.js" -> resource(x, "console.js", "text/javascript; charset=utf-8");
            case "/console.css" -> resource(x, "console.css", "text/css; charset=utf-8");
            default -> send(x, 404, "text/plain", "not found: " + path);
        }
    }

    private void post(HttpExchange x, String path) throws IOException {
        if (x.getRequestHeaders().getFirst(ACTION_HEADER) == null) {
            json(x, 403, Json.mapper().createObjectNode().put("error", "actions come from the console (header " + ACTION_HEADER + ")"));
            return;
        }
        if (!loopback) {
            if (token == null) {
                json(x, 403, Json.mapper().createObjectNode().put("error",
                        "this broker listens beyond loopback and has no HERALD_CONSOLE_TOKEN: the console is read-only"));
                return;
            }
            String given = x.getRequestHeaders().getFirst(TOKEN_HEADER);
            if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
                json(x, 401, Json.mapper().createObjectNode().put("error", "this action needs the console token (HERALD_CONSOLE_TOKEN)"));
                return;
            }
        }
        JsonNode body;
        try {
            body = Json.mapper().readTree(x.getRequestBody());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the request body is not JSON ({\"service\":\"…\",\"id\":\"…\"}): " + e.getOriginalMessage());
        }
        String service = body == null ? null : body.path("service").asText(null);
        String id = body == null ? null : body.path("id").asText(null);
        if (service == null) {
            throw new IllegalArgumentException("the request names no service");
        }
        switch (path) {
            case "/api/dead-letters/replay" -> json(x, 200, Json.mapper().createObjectNode().put("replayed", api.replay(service, required(id))));
            case "/api/dead-letters/replay-all" -> json(x, 200, Json.mapper().createObjectNode().put("replayed", api.replay(service, null)));
            case "/api/dead-letters/delete" -> json(x, 200, Json.mapper().createObjectNode().put("deleted", api.delete(service, required(id))));
            default -> send(x, 404, "text/plain", "not found: " + path);
        }
    }

    /** Live: the consumer threads run and progress. Ready: live, Redis answers, the catalog has events. */
    private void health(HttpExchange x, boolean ready) throws IOException {
        ObjectNode body = ready ? readiness() : liveness();
        json(x, body.path("status").asText().equals("UP") ? 200 : 503, body);
    }

    private ObjectNode liveness() {
        return checks(false);
    }

    private ObjectNode readiness() {
        return checks(true);
    }

    private ObjectNode checks(boolean ready) {
        ObjectNode checks = Json.mapper().createObjectNode();
        boolean up = broker.live(PROGRESS_WITHIN);
        checks.put("consumers", up ? "UP" : "DOWN: a consumer thread stopped or has not completed a round for " + PROGRESS_WITHIN.toSeconds() + " s");
        if (ready) {
            String redis = redisCheck();
            checks.put("redis", redis);
            boolean catalog = !broker.catalog().events().isEmpty();
            checks.put("catalog", catalog ? "UP: " + broker.catalog().events().size() + " events" : "DOWN: the catalog has no events");
            up = up && redis.startsWith("UP") && catalog;
        }
        ObjectNode body = Json.mapper().createObjectNode().put("status", up ? "UP" : "DOWN").put("broker", broker.id());
        body.set("checks", checks);
        return body;
    }

    private String redisCheck() {
        long t0 = System.nanoTime();
        try {
            broker.redisson().getBucket(broker.keys().registryVersion(), org.redisson.client.codec.StringCodec.INSTANCE)
                    .getAsync().toCompletableFuture().get(2, TimeUnit.SECONDS);
            return "UP: answered in " + (System.nanoTime() - t0) / 1_000_000 + " ms";
        } catch (java.util.concurrent.TimeoutException e) {
            return "DOWN: no answer within 2 s";
        } catch (Exception e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            return "DOWN: " + c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
        }
    }

    private void resource(HttpExchange x, String name, String type) throws IOException {
        try (InputStream in = BrokerHttp.class.getResourceAsStream("console/" + name)) {
            if (in == null) {
                send(x, 404, "text/plain", "the console's " + name + " is missing from the broker's jar");
                return;
            }
            x.getResponseHeaders().set("Cache-Control", "no-cache");
            x.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'self'");
            send(x, 200, type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static void json(HttpExchange x, int status, JsonNode body) throws IOException {
        x.getResponseHeaders().set("Cache-Control", "no-store");
        send(x, status, "application/json", Json.mapper().writeValueAsString(body));
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = x.getRequestMethod().equals("HEAD");
        x.sendResponseHeaders(status, head ? -1 : bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static Map<String, String> query(HttpExchange x) {
        Map<String, String> q = new HashMap<>();
        String raw = x.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    q.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private static String required(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("the request needs ?" + name + "=");
        }
        return v;
    }

    private static String required(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("the request names no dead letter (id)");
        }
        return id;
    }

    private static int intOf(String s, int dflt) {
        try {
            return s == null ? dflt : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + s);
        }
    }
}
