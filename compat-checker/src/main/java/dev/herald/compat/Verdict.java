package dev.herald.compat;

import java.util.List;

/** What a set of changes means for each direction. */
public record Verdict(boolean backward, boolean forward) {

    public static Verdict of(List<Change> changes) {
        boolean b = true;
        boolean f = true;
        for (Change c : changes) {
            if (c.rule().category() == Category.WIRE) {
                b &= !c.breaksBackward();
                f &= !c.breaksForward();
            }
        }
        return new Verdict(b, f);
    }

    /** The strongest mode this change satisfies: FULL, BACKWARD, FORWARD or NONE. */
    public Mode strongest() {
        return backward && forward ? Mode.FULL : backward ? Mode.BACKWARD : forward ? Mode.FORWARD : Mode.NONE;
    }
}
