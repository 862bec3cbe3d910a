package dev.herald.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.runtime.Catalog;
import dev.herald.runtime.Json;
import dev.herald.runtime.RedisKeys;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.client.codec.StringCodec;

import java.util.UUID;

/**
 * A producer without the SDK (a gateway, a service in another language): builds the envelope
 * itself and writes it into the inbox, where a broker checks it and appends it to its topic.
 */
final class InboxProducer {

    private static final Catalog CATALOG = Catalog.fromClasspath();

    private final RedissonClient redis;
    private final RedisKeys keys;
    private final String service;

    InboxProducer(RedissonClient redis, RedisKeys keys, String service) {
        this.redis = redis;
        this.keys = keys;
        this.service = service;
    }

    /** Writes {@code event} (a generated record) into the inbox as {@code service}; returns its event id. */
    String send(Object event) {
        return send(event, null);
    }

    /** As {@link #send(Object)}, carrying the W3C {@code traceparent} of the producer's span. */
    String send(Object event, String traceparent) {
        Catalog.EventInfo info = CATALOG.eventFor(event.getClass()).orElseThrow();
        String id = UUID.randomUUID().toString();
        ObjectNode env = Json.mapper().createObjectNode();
        env.put("specversion", "1.0").put("id", id).put("source", "herald:service/" + service).put("type", info.name())
                .put("dataschema", "herald:" + info.name() + "/v" + info.version()).put("time", java.time.Instant.now().toString())
                .put("datacontenttype", "application/json");
        if (traceparent != null) {
            env.put("traceparent", traceparent);
        }
        env.set("data", Json.mapper().valueToTree(event));
        redis.getStream(keys.inbox(), StringCodec.INSTANCE).add(StreamAddArgs.entry(RedisKeys.FIELD_EVENT, env.toString()));
        return id;
    }
}
