package dev.herald.schema;

/** A shared definition, {@code types/<name>.json}, referenced from events with {@code $ref}. */
public record TypeDef(String name, SchemaDocument document) {

    /** {@code Money} for {@code money}, {@code PostalAddress} for {@code postal-address}. */
    public String javaName() {
        return Names.javaTypeName(name);
    }
}
