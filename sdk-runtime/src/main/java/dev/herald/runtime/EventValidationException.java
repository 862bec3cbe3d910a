package dev.herald.runtime;

import java.util.List;

/**
 * An event was refused: each violation names the field path and the rule, e.g.
 * {@code items[2].quantity: must be greater than or equal to 1}. Nothing was sent.
 */
public class EventValidationException extends HeraldException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> violations;

    public EventValidationException(String eventName, List<String> violations) {
        super("event " + eventName + " is invalid: " + String.join("; ", violations));
        this.violations = List.copyOf(violations);
    }

    /** One line per violation: {@code path: message}, sorted. */
    public List<String> violations() {
        return violations;
    }
}
