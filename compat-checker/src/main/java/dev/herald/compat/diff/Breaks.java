package dev.herald.compat.diff;

/** Which readers a change breaks: BACKWARD (new readers, old data), FORWARD (old readers, new data). */
public enum Breaks {
    NONE, BACKWARD, FORWARD, BOTH;

    public static Breaks of(boolean backward, boolean forward) {
        return backward ? (forward ? BOTH : BACKWARD) : (forward ? FORWARD : NONE);
    }

    public boolean backward() {
        return this == BACKWARD || this == BOTH;
    }

    public boolean forward() {
        return this == FORWARD || this == BOTH;
    }

    public Breaks or(Breaks other) {
        return of(backward() || other.backward(), forward() || other.forward());
    }

    /** The same change seen from the other side (inside {@code not}, or with old and new swapped). */
    public Breaks inverted() {
        return of(forward(), backward());
    }
}
