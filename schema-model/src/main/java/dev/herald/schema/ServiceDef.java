package dev.herald.schema;

/** A service declared in {@code registry.json}: a sender ({@code x-owner}) or a listener of events. */
public record ServiceDef(String name, String description, SourceLocation location) {

    /** {@code ORDER} for {@code order}, {@code STOCK_SYNC} for {@code stock-sync}. */
    public String constantName() {
        return Names.constantName(name);
    }
}
