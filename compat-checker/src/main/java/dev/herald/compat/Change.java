package dev.herald.compat;

/**
 * One difference between two schemas that matters to somebody: the rule, where (the logical path
 * through the event schema, following $refs, and the concrete old and new locations), the old and
 * new value, and which directions it breaks. {@code advisory} marks a change that breaks neither
 * direction for Herald's readers but deserves a warning (an enum value the old SDK reads as UNKNOWN).
 */
public record Change(Rule rule, String path, Location oldLocation, Location newLocation,
                     String oldValue, String newValue, boolean breaksBackward, boolean breaksForward,
                     boolean advisory, String message) {

    /** "backward", "forward", "backward and forward", or "none". */
    public String breaksText() {
        if (breaksBackward && breaksForward) {
            return "backward and forward";
        }
        return breaksBackward ? "backward" : breaksForward ? "forward" : "none";
    }
}
