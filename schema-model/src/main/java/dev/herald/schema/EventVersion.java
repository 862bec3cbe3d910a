package dev.herald.schema;

/** One published version of an event: {@code events/<event>/v<version>.json}. */
public record EventVersion(String eventName, int version, SchemaDocument document) {

    /** {@code herald:order.created/v2}, the envelope's {@code dataschema}. */
    public String dataschema() {
        return "herald:" + eventName + "/v" + version;
    }
}
