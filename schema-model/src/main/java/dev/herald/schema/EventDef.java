package dev.herald.schema;

import java.util.List;
import java.util.Optional;

/**
 * An event of the registry with all its published versions, oldest first. Owner, deprecation and
 * description are those of the newest version, the one the SDK is generated from.
 */
public record EventDef(String name, String owner, boolean deprecated, String description, List<EventVersion> versions) {

    public EventDef {
        versions = List.copyOf(versions);
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("event " + name + " has no version");
        }
    }

    public EventVersion latest() {
        return versions.get(versions.size() - 1);
    }

    public Optional<EventVersion> version(int n) {
        return versions.stream().filter(v -> v.version() == n).findFirst();
    }

    /** {@code OrderStatusChanged} for {@code order.status-changed}. */
    public String javaName() {
        return Names.javaTypeName(name);
    }

    /** {@code ORDER_STATUS_CHANGED} for {@code order.status-changed}. */
    public String constantName() {
        return Names.constantName(name);
    }
}
