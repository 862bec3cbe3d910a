package dev.herald.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.runtime.Catalog;
import dev.herald.runtime.DeadLetter;
import dev.herald.runtime.DeadLetters;
import dev.herald.runtime.Json;
import dev.herald.runtime.Messenger;
import dev.herald.runtime.stream.BusState;
import dev.herald.schema.EventPattern;
import dev.herald.schema.Names;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What the console shows, as JSON: the services and what they have waiting, the dead letters, the
 * catalogue with who listens to each event now; and the dead-letter actions. Never anything about
 * how Redis is reached (no URL, no user, no password).
 */
final class ConsoleApi {

    /** The name the console uses for the broker's own dead letters (no service can be called that: it has a dash first). */
    static final String BROKER = "-broker";

    private final Broker broker;
    private final Monitor monitor;

    ConsoleApi(Broker broker, Monitor monitor) {
        this.broker = broker;
        this.monitor = monitor;
    }

    ObjectNode services() {
        Monitor.Reading r = monitor.latest();
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("namespace", broker.keys().namespace()).put("broker", broker.id()).put("at", r.at());
        Broker.Stats st = broker.stats();
        out.putObject("brokerStats").put("received", st.received()).put("routed", st.routed()).put("deadLettered", st.deadLettered());
        out.put("brokerDeadLetters", broker.deadLetters().size());
        ArrayNode list = out.putArray("services");
        for (BusState.Service s : r.services().values()) {
            ObjectNode n = list.addObject();
            n.put("service", s.service());
            n.set("listensTo", Json.mapper().valueToTree(s.listensTo()));
            ArrayNode inst = n.putArray("instances");
            for (Messenger.Instance i : s.instances()) {
                inst.addObject().put("id", i.id()).put("host", i.host()).put("workersEnabled", i.workersEnabled())
                        .put("workers", i.workers()).put("lastSeen", i.lastSeen()).put("handled", i.handled());
            }
            n.put("streamLength", s.streamLength()).put("pending", s.pending()).put("lag", s.lag()).put("retries", s.retries())
                    .put("deadLetters", s.deadLetters()).put("handledPerSecond", Math.round(r.handledPerSecond().getOrDefault(s.service(), 0.0) * 10) / 10.0);
            n.set("topics", Json.mapper().valueToTree(s.topics()));
        }
        return out;
    }

    ObjectNode deadLetters(String service, int max) {
        DeadLetters dl = of(service);
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("service", service).put("total", dl.size());
        ArrayNode list = out.putArray("deadLetters");
        for (DeadLetter d : dl.newest(max)) {
            ObjectNode n = list.addObject();
            n.put("id", d.id()).put("reason", d.reason()).put("error", d.error()).put("attempts", d.attempts())
                    .put("failedAt", d.failedAt()).put("by", d.by()).put("eventId", d.eventId()).put("type", d.type());
            JsonNode event;
            try {
                event = d.event() == null ? null : Json.mapper().readTree(d.event());
            } catch (Exception e) {
                event = null;
            }
            if (event != null) {
                n.set("event", event);
            } else {
                n.put("raw", d.event());
            }
        }
        return out;
    }

    /** Replays one ({@code id}) or, with a null id, every dead letter of {@code service}; returns how many went back. */
    int replay(String service, String id) {
        DeadLetters dl = of(service);
        return id == null ? dl.replayAll() : dl.replay(id) ? 1 : 0;
    }

    boolean delete(String service, String id) {
        return of(service).delete(id);
    }

    private DeadLetters of(String service) {
        if (BROKER.equals(service)) {
            return broker.deadLetters();
        }
        if (!Names.isValidServiceName(service)) {
            throw new IllegalArgumentException("no such service: " + service);
        }
        return new DeadLetters(broker.redisson(), broker.keys().serviceDead(service), broker.keys().serviceStream(service));
    }

    /** Every event of the catalog with its schemas (references to type files inlined) and who listens to it now. */
    ObjectNode catalog() {
        Catalog catalog = broker.catalog();
        Monitor.Reading r = monitor.latest();
        ObjectNode out = Json.mapper().createObjectNode();
        out.set("services", Json.mapper().valueToTree(catalog.services()));
        ArrayNode events = out.putArray("events");
        for (Catalog.EventInfo e : catalog.events()) {
            ObjectNode n = events.addObject();
            n.put("name", e.name()).put("version", e.version()).put("owner", e.owner()).put("deprecated", e.deprecated());
            n.set("versions", Json.mapper().valueToTree(e.versions()));
            ObjectNode schemas = schemasOf(catalog, e);
            n.set("schemas", schemas);
            JsonNode latest = schemas.get(String.valueOf(e.version()));
            if (latest != null && latest.hasNonNull("description")) {
                n.put("description", latest.get("description").asText());
            }
            ArrayNode listeners = n.putArray("listeners");
            long inFlight = 0;
            for (BusState.Service s : r.services().values()) {
                if (s.listensTo().stream().anyMatch(p -> EventPattern.matches(p, e.name()))) {
                    ObjectNode l = listeners.addObject().put("service", s.service()).put("instances", s.instances().size());
                    for (BusState.Topic t : s.topics()) {
                        if (t.type().equals(e.name())) {
                            l.put("pending", t.pending()).put("lag", t.lag());
                            inFlight += t.pending() + t.lag();
                        }
                    }
                }
            }
            n.put("inFlight", inFlight);
        }
        return out;
    }

    /** The catalog's schemas do not change while the broker runs: read and inlined once per event. */
    private final java.util.Map<String, ObjectNode> schemas = new java.util.concurrent.ConcurrentHashMap<>();

    private ObjectNode schemasOf(Catalog catalog, Catalog.EventInfo e) {
        return schemas.computeIfAbsent(e.name(), name -> {
            ObjectNode out = Json.mapper().createObjectNode();
            e.schemas().forEach((v, path) -> catalog.schemaFile(path).ifPresent(text -> out.set(String.valueOf(v), inline(catalog, path, text, 0))));
            return out;
        });
    }

    /** The schema at {@code path}, each {@code $ref} to another file of the catalog replaced by that file (marked {@code x-ref}). */
    private static JsonNode inline(Catalog catalog, String path, String text, int depth) {
        try {
            JsonNode node = Json.mapper().readTree(text);
            resolve(catalog, path, node, depth);
            return node;
        } catch (Exception ex) {
            return Json.mapper().createObjectNode().put("x-unreadable", ex.getMessage());
        }
    }

    private static void resolve(Catalog catalog, String path, JsonNode node, int depth) {
        if (node instanceof ObjectNode o) {
            JsonNode ref = o.get("$ref");
            if (ref != null && ref.isTextual() && !ref.asText().startsWith("#") && depth < 8) {
                String target = relative(path, ref.asText());
                String text = catalog.schemaFile(target).orElse(null);
                if (text != null) {
                    JsonNode resolved = inline(catalog, target, text, depth + 1);
                    if (resolved instanceof ObjectNode ro) {
                        o.remove("$ref");
                        Iterator<Map.Entry<String, JsonNode>> it = ro.properties().iterator();
                        while (it.hasNext()) {
                            Map.Entry<String, JsonNode> f = it.next();
                            if (!o.has(f.getKey())) {
                                o.set(f.getKey(), f.getValue());
                            }
                        }
                        o.put("x-ref", target);
                    }
                }
            }
            List<String> names = new java.util.ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                resolve(catalog, path, o.get(name), depth);
            }
        } else if (node instanceof ArrayNode a) {
            a.forEach(x -> resolve(catalog, path, x, depth));
        }
    }

    /** {@code ../../types/money.json} seen from {@code events/order.created/v2.json}: {@code types/money.json}. */
    static String relative(String from, String ref) {
        String r = ref.contains("#") ? ref.substring(0, ref.indexOf('#')) : ref;
        java.nio.file.Path p = java.nio.file.Path.of(from).getParent();
        java.nio.file.Path resolved = (p == null ? java.nio.file.Path.of(r) : p.resolve(r)).normalize();
        return resolved.toString().replace('\\', '/');
    }
}
