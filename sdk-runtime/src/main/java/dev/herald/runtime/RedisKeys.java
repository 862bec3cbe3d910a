package dev.herald.runtime;

/**
 * Every Redis key and channel of the bus. All start with the namespace; the keys of one service
 * share the hash tag {@code {<service>}}, each event type's topic has its own ({@code {<type>}}),
 * and the inbox keys share {@code {inbox}}, so that every multi-key operation (replay, retry move)
 * touches one Redis Cluster slot and the traffic of different event types spreads over slots.
 *
 * <pre>
 * &lt;ns&gt;:evt:{&lt;type&gt;}                 stream  the type's events, written by its owner's SDK (or the broker,
 *                                              for the inbox); one consumer group per listening
 *                                              service, named as the service
 * &lt;ns&gt;:{inbox}                       stream  events from producers without the SDK, read by the brokers'
 *                                              group "brokers", checked and appended to their topic
 * &lt;ns&gt;:{inbox}:dead                  stream  what the broker refused, with the reason
 * &lt;ns&gt;:{registry}:index              set     every service that registered
 * &lt;ns&gt;:{registry}:svc:&lt;s&gt;            hash    instance -&gt; registration JSON
 * &lt;ns&gt;:{registry}:seen:&lt;s&gt;           hash    instance -&gt; last heartbeat (epoch ms)
 * &lt;ns&gt;:{registry}:version            string  random token, replaced by every registration change
 * &lt;ns&gt;:{registry}:brokers            hash    broker instance -&gt; heartbeat JSON
 * &lt;ns&gt;:{registry}:topics             set     every event type a topic was written for (brokers look after them)
 * &lt;ns&gt;:svc:{&lt;s&gt;}:stream              stream  what only this service gets: retries, hand-backs, its own
 *                                              events sent with notifySelf, replays; group "workers"
 * &lt;ns&gt;:svc:{&lt;s&gt;}:retry               zset    events waiting for their next attempt (score: due ms)
 * &lt;ns&gt;:svc:{&lt;s&gt;}:dead                stream  the service's dead letters
 * &lt;ns&gt;:svc:{&lt;s&gt;}:results:&lt;bucket&gt;    hash    event id -&gt; handler result JSON (expires)
 * &lt;ns&gt;:svc:{&lt;s&gt;}:instances           hash    instance id -&gt; heartbeat JSON
 * &lt;ns&gt;:broadcast                      pub/sub broadcast events
 * </pre>
 */
public final class RedisKeys {

    /** Consumer group of the brokers on the inbox. */
    public static final String BROKER_GROUP = "brokers";
    /** Consumer group of a service's workers on its stream. */
    public static final String WORKER_GROUP = "workers";
    /** Stream entry field holding the envelope JSON. */
    public static final String FIELD_EVENT = "event";
    /** {@link #FIELD_EVENT} as UTF-8, for writes that pass pre-encoded bytes (ByteArrayCodec). */
    static final byte[] FIELD_EVENT_BYTES = FIELD_EVENT.getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /**
     * A stream entry {@code event <envelope>} as bytes. The envelope is encoded once with the
     * JDK's (intrinsic) encoder, instead of Netty's char-by-char encoder for every append; the
     * broker appends the same bytes to every listener's stream.
     */
    public static org.redisson.api.stream.StreamAddArgs<byte[], byte[]> eventEntry(byte[] envelopeUtf8) {
        return org.redisson.api.stream.StreamAddArgs.entry(FIELD_EVENT_BYTES, envelopeUtf8);
    }

    /** Stream entry field holding the attempt number (absent: 1). */
    public static final String FIELD_ATTEMPT = "attempt";
    /** Stream entry field: how often instances without a handler handed the event back (absent: 0). */
    public static final String FIELD_HANDBACKS = "handbacks";

    private final String ns;

    public RedisKeys(String namespace) {
        if (namespace == null || namespace.isBlank() || namespace.contains("{") || namespace.contains("}")) {
            throw new IllegalArgumentException("namespace must be non-blank and without braces: " + namespace);
        }
        this.ns = namespace;
    }

    public String namespace() {
        return ns;
    }

    public String inbox() {
        return ns + ":{inbox}";
    }

    public String brokerDead() {
        return ns + ":{inbox}:dead";
    }

    /** The registrations of {@code service}'s instances (one key per service: an ACL user per service can own it). */
    public String registrations(String service) {
        return ns + ":{registry}:svc:" + service;
    }

    /** When each instance of {@code service} was last seen. */
    public String registrySeen(String service) {
        return ns + ":{registry}:seen:" + service;
    }

    /** Every service that ever registered (brokers read their registrations from it). */
    public String registryIndex() {
        return ns + ":{registry}:index";
    }

    /** The prefix of {@link #registrations(String)}, for scripts that walk the index. */
    public String registrationsPrefix() {
        return ns + ":{registry}:svc:";
    }

    /** The prefix of {@link #registrySeen(String)}. */
    public String registrySeenPrefix() {
        return ns + ":{registry}:seen:";
    }

    public String registryVersion() {
        return ns + ":{registry}:version";
    }

    public String brokers() {
        return ns + ":{registry}:brokers";
    }

    /** The stream of one event type. */
    public String topic(String eventType) {
        if (eventType.indexOf('{') >= 0 || eventType.indexOf('}') >= 0) {
            throw new IllegalArgumentException("an event type has no braces: " + eventType);
        }
        return ns + ":evt:{" + eventType + "}";
    }

    /** The event type of a {@link #topic} key, or null if {@code key} is not one. */
    public String topicType(String key) {
        String prefix = ns + ":evt:{";
        return key.startsWith(prefix) && key.endsWith("}") ? key.substring(prefix.length(), key.length() - 1) : null;
    }

    /** The consumer group of {@code service} on every topic it listens to, when it has no group secret. */
    public static String topicGroup(String service) {
        return service;
    }

    /**
     * The consumer group of {@code service} on every topic it listens to: the service's name, or
     * with a group secret the name, a dot and 80 bits of HMAC-SHA256 of the name under the secret.
     * Redis ACLs cannot say which group a command names, so on a topic two services listen to
     * either could read and acknowledge as the other's group; a group name that cannot be guessed
     * (and a service user that may not list groups) closes that gap. The same secret on every
     * instance gives the same group: they compete for the events, as before.
     */
    public static String topicGroup(String service, String secret) {
        if (secret == null || secret.isEmpty()) {
            return service;
        }
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] h = mac.doFinal(service.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return service + "." + java.util.HexFormat.of().formatHex(h, 0, 10);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The service a topic group belongs to ({@link #topicGroup}: service names have no dots). */
    public static String groupService(String group) {
        int dot = group.indexOf('.');
        return dot < 0 ? group : group.substring(0, dot);
    }

    public String topics() {
        return ns + ":{registry}:topics";
    }

    public String serviceStream(String service) {
        return svc(service) + ":stream";
    }

    public String serviceRetry(String service) {
        return svc(service) + ":retry";
    }

    public String serviceDead(String service) {
        return svc(service) + ":dead";
    }

    public String serviceResults(String service, long bucket) {
        return svc(service) + ":results:" + bucket;
    }

    public String serviceInstances(String service) {
        return svc(service) + ":instances";
    }

    public String broadcastChannel() {
        return ns + ":broadcast";
    }

    /** A pattern (Redis glob) matching every key of {@code service}: what an ACL user of the service may use. */
    public String serviceKeysPattern(String service) {
        return svc(service) + ":*";
    }

    private String svc(String service) {
        return ns + ":svc:{" + service + "}";
    }
}
