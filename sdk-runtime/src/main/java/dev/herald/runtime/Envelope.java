package dev.herald.runtime;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The CloudEvents 1.0 structured-JSON envelope of every event on the bus:
 *
 * <pre>{"specversion":"1.0","id":"&lt;unique&gt;","source":"herald:service/order","type":"order.created",
 * "dataschema":"herald:order.created/v2","time":"2026-11-22T10:00:00Z",
 * "datacontenttype":"application/json","traceparent":"00-...-01","data":{ ... }}</pre>
 *
 * <p>A value with the accessors, equality and text of a record over its ten attributes. It is not
 * a record so that {@link #read} can leave {@link #data()} unparsed: a worker reads the payload
 * straight into the handler's record, and builds the JSON tree only when someone asks for it.
 */
public final class Envelope {

    private final String specversion;
    private final String id;
    private final String source;
    private final String type;
    private final String dataschema;
    private final String time;
    private final String datacontenttype;
    private final String traceparent;
    private final String tracestate;
    /** The payload as a JSON tree; null until first asked for when {@link #json} holds it. */
    private volatile JsonNode data;
    /** The serialized envelope that holds the unparsed payload between {@link #dataStart} and {@link #dataEnd}, or null. */
    private final String json;
    private final int dataStart;
    private final int dataEnd;

    /**
     * @param data the event payload as a JSON tree
     */
    public Envelope(String specversion, String id, String source, String type, String dataschema,
                    String time, String datacontenttype, String traceparent, String tracestate, JsonNode data) {
        this(specversion, id, source, type, dataschema, time, datacontenttype, traceparent, tracestate, data, null, 0, 0);
    }

    private Envelope(String specversion, String id, String source, String type, String dataschema, String time,
                     String datacontenttype, String traceparent, String tracestate, JsonNode data, String json,
                     int dataStart, int dataEnd) {
        this.specversion = specversion;
        this.id = id;
        this.source = source;
        this.type = type;
        this.dataschema = dataschema;
        this.time = time;
        this.datacontenttype = datacontenttype;
        this.traceparent = traceparent;
        this.tracestate = tracestate;
        this.data = data;
        this.json = json;
        this.dataStart = dataStart;
        this.dataEnd = dataEnd;
    }

    public String specversion() {
        return specversion;
    }

    public String id() {
        return id;
    }

    public String source() {
        return source;
    }

    public String type() {
        return type;
    }

    public String dataschema() {
        return dataschema;
    }

    public String time() {
        return time;
    }

    public String datacontenttype() {
        return datacontenttype;
    }

    public String traceparent() {
        return traceparent;
    }

    public String tracestate() {
        return tracestate;
    }

    /** The event payload as a JSON tree (parsed on first use when the envelope was {@link #read}). */
    public JsonNode data() {
        JsonNode d = data;
        if (d == null && json != null) {
            try {
                // read() has tokenized exactly this text under the same rules: it parses
                d = Json.mapper().readTree(json.substring(dataStart, dataEnd));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            data = d;
        }
        return d;
    }

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

    /** An envelope as {@link #read} found it, and its data already read into the class asked for, or null. */
    public record Read(Envelope envelope, Object data) {
    }

    /**
     * Parses a serialized envelope in one pass and, when {@code dataClass} gives a class for its
     * type, reads the data straight into that class: no JSON tree in between, and none built
     * unless {@link #data()} is asked for. Herald writes the type before the data; whatever this
     * pass does not take for granted — another order, a missing, empty, duplicate or non-text
     * attribute, text after the envelope, data that does not bind — goes to {@link #parse}, which
     * decides and words it as it always has. So the same envelopes are accepted and refused, with
     * the same messages; only the accepted ones are cheaper.
     *
     * @param dataClass the class to read an event type's data into, or null for none
     */
    public static Read read(String json, Function<String, Class<?>> dataClass) {
        Read fast = null;
        try {
            fast = readInOnePass(json, dataClass);
        } catch (IOException | RuntimeException e) {
            // parse() says what is wrong, or the caller reads the data from the tree and says it
        }
        return fast != null ? fast : new Read(parse(json), null);
    }

    private static Read readInOnePass(String json, Function<String, Class<?>> dataClass) throws IOException {
        try (JsonParser p = Json.mapper().getFactory().createParser(json)) {
            // as readTree, which refuses duplicate keys (FAIL_ON_READING_DUP_TREE_KEY), inside the data too
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String[] text = new String[ATTRIBUTES.size()];
            Object bound = null;
            int dataStart = -1;
            int dataEnd = -1;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("data")) {
                    if (value != JsonToken.START_OBJECT) {
                        return null;
                    }
                    dataStart = (int) p.currentTokenLocation().getCharOffset();
                    String type = text[TYPE];
                    Class<?> cls = type == null || dataClass == null ? null : dataClass.apply(type);
                    if (cls != null) {
                        bound = DATA_READERS.get(cls).readValue(p);
                    } else {
                        p.skipChildren();
                    }
                    dataEnd = (int) p.currentTokenLocation().getCharOffset() + 1; // past the closing brace
                    continue;
                }
                int a = ATTRIBUTES.indexOf(name);
                if (a < 0) {
                    p.skipChildren(); // an extension attribute the bus does not use
                } else if (value == JsonToken.VALUE_STRING) {
                    text[a] = p.getText();
                } else if (value != JsonToken.VALUE_NULL) {
                    return null;
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null || dataStart < 0) {
                return null;
            }
            for (int a = 0; a < REQUIRED; a++) {
                if (text[a] == null || text[a].isEmpty()) {
                    return null;
                }
            }
            if (!SPEC_VERSION.equals(text[0])) {
                return null;
            }
            return new Read(new Envelope(text[0], text[1], text[2], text[3], text[4], text[5], text[6], text[7], text[8],
                    null, json, dataStart, dataEnd), bound);
        }
    }

    /** The mapper's reader per data class, that stops at the data's end (the envelope goes on after it). */
    private static final ClassValue<ObjectReader> DATA_READERS = new ClassValue<>() {
        @Override
        protected ObjectReader computeValue(Class<?> type) {
            return Json.mapper().readerFor(type).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        }
    };

    /** The attributes in the order of the constructor; the first {@link #REQUIRED} must be non-empty text. */
    private static final List<String> ATTRIBUTES = List.of("specversion", "id", "source", "type", "dataschema",
            "time", "datacontenttype", "traceparent", "tracestate");
    private static final int REQUIRED = 5;
    private static final int TYPE = 3;

    /** Reads an envelope from a parsed tree; a structural problem throws with the reason. */
    public static Envelope fromTree(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new HeraldException("not a CloudEvents envelope: a JSON object is expected");
        }
        List<String> missing = new ArrayList<>();
        for (String f : ATTRIBUTES.subList(0, REQUIRED)) {
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
            write(g, id, source, type, dataschema, time, traceparent, tracestate, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** As {@link #write}, as the UTF-8 bytes that go on the wire: no String in between (a send writes these). */
    static byte[] writeUtf8(String id, String source, String type, String dataschema, String time, String traceparent,
                            String tracestate, Object data) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(640);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out, com.fasterxml.jackson.core.JsonEncoding.UTF8)) {
            write(g, id, source, type, dataschema, time, traceparent, tracestate, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The one field order of the design. */
    private static void write(JsonGenerator g, String id, String source, String type, String dataschema, String time,
                              String traceparent, String tracestate, Object data) throws IOException {
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

    @Override
    public boolean equals(Object o) {
        return o instanceof Envelope e && Objects.equals(specversion, e.specversion) && Objects.equals(id, e.id)
                && Objects.equals(source, e.source) && Objects.equals(type, e.type) && Objects.equals(dataschema, e.dataschema)
                && Objects.equals(time, e.time) && Objects.equals(datacontenttype, e.datacontenttype)
                && Objects.equals(traceparent, e.traceparent) && Objects.equals(tracestate, e.tracestate)
                && Objects.equals(data(), e.data());
    }

    @Override
    public int hashCode() {
        return Objects.hash(specversion, id, source, type, dataschema, time, datacontenttype, traceparent, tracestate, data());
    }

    @Override
    public String toString() {
        return "Envelope[specversion=" + specversion + ", id=" + id + ", source=" + source + ", type=" + type
                + ", dataschema=" + dataschema + ", time=" + time + ", datacontenttype=" + datacontenttype
                + ", traceparent=" + traceparent + ", tracestate=" + tracestate + ", data=" + data() + "]";
    }

    /** The data as an object node, for tools that rewrite an envelope. */
    public ObjectNode dataObject() {
        return (ObjectNode) data;
    }
}
