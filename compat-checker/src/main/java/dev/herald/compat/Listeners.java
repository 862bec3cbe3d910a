package dev.herald.compat;

import dev.herald.schema.EventPattern;
import dev.herald.schema.Registry;
import dev.herald.schema.ServiceDef;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who listens to each event: the services registry.json declares ({@code "listens"}), and those
 * registered on a running bus ({@code check --registrations}). A finding about an event names them,
 * so that the reader of a report knows whom a break hits.
 */
public final class Listeners {

    public static final Listeners NONE = new Listeners(Map.of());

    /** Service to the event names and patterns it listens to. */
    private final Map<String, Set<String>> patterns;

    private Listeners(Map<String, Set<String>> patterns) {
        this.patterns = patterns;
    }

    /** What registry.json declares. */
    public static Listeners declared(Registry registry) {
        Map<String, Set<String>> map = new TreeMap<>();
        for (ServiceDef s : registry.services()) {
            if (!s.listens().isEmpty()) {
                map.computeIfAbsent(s.name(), k -> new TreeSet<>()).addAll(s.listens());
            }
        }
        return new Listeners(map);
    }

    /** These listeners and {@code more} (service to patterns), united. */
    public Listeners with(Map<String, ? extends Collection<String>> more) {
        Map<String, Set<String>> map = new TreeMap<>();
        patterns.forEach((k, v) -> map.put(k, new TreeSet<>(v)));
        more.forEach((k, v) -> map.computeIfAbsent(k, x -> new TreeSet<>()).addAll(v));
        return new Listeners(map);
    }

    /** The services that listen to {@code event}, by name. */
    public List<String> of(String event) {
        return patterns.entrySet().stream().filter(e -> e.getValue().stream().anyMatch(p -> EventPattern.matches(p, event)))
                .map(Map.Entry::getKey).toList();
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }
}
