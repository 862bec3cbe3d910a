package dev.herald.compat;

import java.util.Locale;

/**
 * Which readers must keep working. BACKWARD: a reader on the new schema reads all data written
 * with the old one. FORWARD: a reader on the old schema reads data written with the new one.
 * FULL: both. {@code _TRANSITIVE}: against every earlier version, not only the previous one.
 */
public enum Mode {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    Mode(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    public boolean backward() {
        return backward;
    }

    public boolean forward() {
        return forward;
    }

    public boolean transitive() {
        return transitive;
    }

    /** Whether a change that breaks the given directions fails under this mode. */
    public boolean fails(boolean breaksBackward, boolean breaksForward) {
        return (backward && breaksBackward) || (forward && breaksForward);
    }

    public static Mode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown mode '" + text
                    + "' (NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE)");
        }
    }
}
