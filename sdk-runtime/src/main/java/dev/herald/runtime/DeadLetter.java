package dev.herald.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of a dead-letter stream.
 *
 * @param id       the entry's id in the dead-letter stream (pass it to {@link DeadLetters#replay})
 * @param event    the raw envelope JSON (or, for an inbox entry without one, the entry's fields as JSON)
 * @param reason   a category: {@code handler-failed}, {@code non-retryable}, {@code malformed},
 *                 {@code undeserializable}, {@code invalid}, {@code no-handler}, {@code unknown-type},
 *                 {@code unknown-version}, {@code wrong-owner}, {@code invalid-data},
 *                 {@code delivery-limit}
 * @param error    the detail: exception class and message, or the violations
 * @param attempts how many times a handler ran it (0 for the broker)
 * @param failedAt when it was dead-lettered (RFC 3339)
 * @param by       the worker or broker instance that dead-lettered it
 */
public record DeadLetter(String id, String event, String reason, String error, int attempts, String failedAt, String by) {

    /** The fields of a dead-letter stream entry: written by workers and brokers, read by {@link DeadLetters}. */
    public static Map<String, String> entry(String event, String reason, String error, int attempts, String failedAt, String by) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("event", event == null ? "" : event);
        f.put("reason", reason);
        f.put("error", error == null ? "" : error);
        f.put("attempts", Integer.toString(attempts));
        f.put("failedAt", failedAt);
        f.put("by", by);
        return f;
    }

    /** Reads an entry written by {@link #entry}. */
    public static DeadLetter of(String id, Map<String, String> f) {
        int attempts;
        try {
            attempts = Integer.parseInt(f.getOrDefault("attempts", "0"));
        } catch (NumberFormatException e) {
            attempts = 0;
        }
        return new DeadLetter(id, f.get("event"), f.get("reason"), f.get("error"), attempts, f.get("failedAt"), f.get("by"));
    }

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
