package dev.herald.runtime.stream;

import java.time.Duration;

/** The checks of the durations the builders take, with the refusal a user reads. */
public final class Durations {

    private Durations() {
    }

    /** {@code d} if it is longer than zero. */
    public static Duration positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
        return d;
    }

    /** {@code d} if it is zero or longer (zero turns a wait off). */
    public static Duration nonNegative(Duration d, String what) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be zero or positive, got " + d);
        }
        return d;
    }
}
