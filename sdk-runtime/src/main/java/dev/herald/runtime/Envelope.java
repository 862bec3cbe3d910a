package dev.herald.runtime;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The CloudEvents 1.0 structured-JSON envelope of every event on the bus:
 *
 * <pre>{"specversion":"1.0","id":"&lt;unique&gt;","source":"herald:service/order","type":"order.created",
 * "dataschema":"herald:order.created/v2","time":"2026-11-22T10:00:00Z",
 * "datacontenttype":"application/json","traceparent":"00-...-01","data":{ ... }}</pre>
 *
 * @param data the event payload as a JSON tree
 */
public record Envelope(String specversion, String id, String source, String type, String dataschema,
                       String time, String datacontenttype, String traceparent, String tracestate, JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String SOURCE_PREFIX = "herald:service/";
    public static final String CONTENT_TYPE = "application/json";
    /**
     * The default largest envelope, as UTF-8 JSON, that a Messenger sends and a broker routes (1 MiB):
     * every listener gets a copy and Redis keeps it in memory; larger payloads belong in a store,
     * with a reference in the event.
     */
    public static final int DEFAULT_MAX_BYTES = 1 << 20;

    /** {@code bytes} as a size limit, or a clear refusal. */
    public static int checkedMaxBytes(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("max envelope bytes must be >= 1, got " + bytes);
        }
        return bytes;
    }

    /** The UTF-8 length of {@code json}, computed only when its length in chars leaves a doubt about the limit. */
    public static boolean exceeds(String json, int maxBytes) {
        if (json.length() > maxBytes) {
            return true; // UTF-8 has at least one byte per char
        }
        if ((long) json.length() * 3 <= maxBytes) {
            return false; // and at most three per char
        }
        return json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxBytes;
    }

    /** {@code herald:service/<service>}. */
    public static String sourceOf(String service) {
        return SOURCE_PREFIX + service;
    }

    /** {@code herald:<event>/v<version>}. */
    public static String dataschemaOf(String event, int version) {
        return "herald:" + event + "/v" + version;
    }

    /** The service named by {@code source}, or null if it is not a Herald source. */
    public String sourceService() {
        return source != null && source.startsWith(SOURCE_PREFIX) ? source.substring(SOURCE_PREFIX.length()) : null;
    }

    /** The version named by {@code dataschema} ({@code herald:<type>/v<N>}), or -1. */
    public int version() {
        return versionOf(type, dataschema);
    }

    static int versionOf(String type, String dataschema) {
        if (type == null || dataschema == null) {
            return -1;
        }
        String prefix = "herald:" + type + "/v";
        if (!dataschema.startsWith(prefix)) {
            return -1;
        }
        try {
            return Integer.parseInt(dataschema.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Parses a serialized envelope; a structural problem throws with the reason. */
    public static Envelope parse(String json) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new HeraldException("not JSON: " + e.getMessage());
        }
        return fromTree(node);
    }

    /** Reads an envelope from a parsed tree; a structural problem throws with the reason. */
    public static Envelope fromTree(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new HeraldException("not a CloudEvents envelope: a JSON object is expected");
        }
        List<String> missing = new ArrayList<>();
        for (String f : new String[] {"specversion", "id", "source", "type", "dataschema"}) {
            if (!node.path(f).isTextual() || node.path(f).asText().isEmpty()) {
                missing.add(f);
            }
        }
        if (!node.has("data") || !node.get("data").isObject()) {
            missing.add("data (object)");
        }
        if (!missing.isEmpty()) {
            throw new HeraldException("not a CloudEvents envelope: missing or empty " + String.join(", ", missing));
        }
        if (!SPEC_VERSION.equals(node.get("specversion").asText())) {
            throw new HeraldException("unsupported specversion " + node.get("specversion").asText() + " (expected 1.0)");
        }
        return new Envelope(node.get("specversion").asText(), node.get("id").asText(), node.get("source").asText(),
                node.get("type").asText(), node.get("dataschema").asText(), text(node, "time"),
                text(node, "datacontenttype"), text(node, "traceparent"), text(node, "tracestate"), node.get("data"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Serializes in the field order the design shows. */
    public String toJson() {
        return write(id, source, type, dataschema, time, traceparent, tracestate, data);
    }

    /** Builds the JSON of a new envelope around {@code data} (a record or a JSON tree). */
    static String write(String id, String source, String type, String dataschema, String time, String traceparent, Object data) {
        return write(id, source, type, dataschema, time, traceparent, null, data);
    }

    /** As above, with the W3C {@code tracestate} (CloudEvents' distributed tracing extension) when there is one. */
    static String write(String id, String source, String type, String dataschema, String time, String traceparent, String tracestate,
                        Object data) {
        StringWriter w = new StringWriter(512);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("specversion", SPEC_VERSION);
            g.writeStringField("id", id);
            g.writeStringField("source", source);
            g.writeStringField("type", type);
            g.writeStringField("dataschema", dataschema);
            if (time != null) {
                g.writeStringField("time", time);
            }
            g.writeStringField("datacontenttype", CONTENT_TYPE);
            if (traceparent != null) {
                g.writeStringField("traceparent", traceparent);
            }
            if (tracestate != null && !tracestate.isEmpty()) {
                g.writeStringField("tracestate", tracestate);
            }
            g.writeFieldName("data");
            Json.mapper().writeValue(g, data);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** A new unique event id (random UUID). */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** A new W3C trace parent {@code 00-<trace id>-<span id>-01}. */
    public static String newTraceparent() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder b = new StringBuilder(55).append("00-");
        hex16(b, r.nextLong());
        hex16(b, r.nextLong());
        b.append('-');
        hex16(b, r.nextLong() | 1L);
        return b.append("-01").toString();
    }

    private static void hex16(StringBuilder b, long v) {
        String h = Long.toHexString(v);
        for (int i = h.length(); i < 16; i++) {
            b.append('0');
        }
        b.append(h);
    }

    /** Now as an RFC 3339 UTC timestamp. */
    public static String now() {
        return Instant.now().toString();
    }

    /** The data as an object node, for tools that rewrite an envelope. */
    public ObjectNode dataObject() {
        return (ObjectNode) data;
    }
}
