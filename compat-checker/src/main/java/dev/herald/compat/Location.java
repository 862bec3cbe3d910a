package dev.herald.compat;

/**
 * A place in a schema file: the file as it should be printed (relative to the working directory),
 * 1-based line and column (0 when unknown, e.g. for an in-memory schema) and the JSON pointer.
 */
public record Location(String file, int line, int column, String pointer) {

    public boolean hasPosition() {
        return line > 0;
    }

    /** {@code schemas/events/order.created/v3.json:12:5}, or just the file when no position is known. */
    public String fileLineColumn() {
        return hasPosition() ? file + ":" + line + ":" + column : file;
    }

    @Override
    public String toString() {
        return fileLineColumn() + " (#" + pointer + ")";
    }
}
