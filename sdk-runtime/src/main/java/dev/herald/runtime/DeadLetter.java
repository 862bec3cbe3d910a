package dev.herald.runtime;

/**
 * One entry of a dead-letter stream.
 *
 * @param id       the entry's id in the dead-letter stream (pass it to {@link DeadLetters#replay})
 * @param event    the raw envelope JSON (or, for an inbox entry without one, the entry's fields as JSON)
 * @param reason   a category: {@code handler-failed}, {@code non-retryable}, {@code malformed},
 *                 {@code undeserializable}, {@code invalid}, {@code no-handler}, {@code unknown-type},
 *                 {@code unknown-version}, {@code wrong-owner}, {@code invalid-data}
 * @param error    the detail: exception class and message, or the violations
 * @param attempts how many times a handler ran it (0 for the broker)
 * @param failedAt when it was dead-lettered (RFC 3339)
 * @param by       the worker or broker instance that dead-lettered it
 */
public record DeadLetter(String id, String event, String reason, String error, int attempts, String failedAt, String by) {

    /** The event id from the envelope, or null if the entry is not a parsable envelope. */
    public String eventId() {
        try {
            return Json.mapper().readTree(event).path("id").asText(null);
        } catch (Exception e) {
            return null;
        }
    }

    /** The event type from the envelope, or null. */
    public String type() {
        try {
            return Json.mapper().readTree(event).path("type").asText(null);
        } catch (Exception e) {
            return null;
        }
    }
}
