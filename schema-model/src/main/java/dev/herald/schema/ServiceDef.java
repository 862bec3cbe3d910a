package dev.herald.schema;

import java.util.List;

/**
 * A service declared in {@code registry.json}: a sender ({@code x-owner}) or a listener of events.
 * {@code listens} is what it declares it listens to (event names and patterns, see
 * {@link EventPattern}); optional, and used to name the consumers a compatibility finding hits.
 */
public record ServiceDef(String name, String description, SourceLocation location, List<String> listens) {

    public ServiceDef {
        listens = List.copyOf(listens);
    }

    /** {@code ORDER} for {@code order}, {@code STOCK_SYNC} for {@code stock-sync}. */
    public String constantName() {
        return Names.constantName(name);
    }

    /** Whether the service declares it listens to {@code event}. */
    public boolean listensTo(String event) {
        return listens.stream().anyMatch(p -> EventPattern.matches(p, event));
    }
}
