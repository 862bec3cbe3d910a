package dev.herald.schema;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a node of a schema came from: the file, the 1-based line and column of the node (of its
 * key, for an object member) and its RFC 6901 JSON pointer ({@code ""} is the document root).
 */
public record SourceLocation(Path file, int line, int column, String pointer) {

    public SourceLocation {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(pointer, "pointer");
    }

    /** A location for a whole file, when no node can be named (an unreadable file, a missing one). */
    public static SourceLocation ofFile(Path file) {
        return new SourceLocation(file, 1, 1, "");
    }

    /** {@code schemas/events/order.created/v2.json:12:5} — the prefix editors and CI annotations understand. */
    public String fileLineColumn() {
        return file.toString().replace('\\', '/') + ":" + line + ":" + column;
    }

    /** The pointer as a URI fragment, {@code #/properties/total}. */
    public String fragment() {
        return "#" + pointer;
    }

    @Override
    public String toString() {
        return fileLineColumn() + " (" + fragment() + ")";
    }
}
