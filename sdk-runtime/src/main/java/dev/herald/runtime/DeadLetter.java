package dev.herald.runtime;

import org.redisson.api.stream.StreamAddArgs;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of a dead-letter stream.
 *
 * @param id       the entry's id in the dead-letter stream (pass it to {@link DeadLetters#replay})
 * @param event    the raw envelope JSON (or, for an inbox entry without one, the entry's fields as JSON;
 *                 for {@code too-large}, its first {@link #TOO_LARGE_COPY_CHARS} characters)
 * @param reason   why: one of {@link Reason}'s wire names
 * @param error    the detail: exception class and message, or the violations (at most {@link #MAX_ERROR_CHARS})
 * @param attempts how many times a handler ran it (0 for the broker)
 * @param failedAt when it was dead-lettered (RFC 3339)
 * @param by       the worker or broker instance that dead-lettered it
 */
public record DeadLetter(String id, String event, String reason, String error, int attempts, String failedAt, String by) {

    /** Why an event was dead-lettered. The wire name is what the stream entry and the logs say. */
    public enum Reason {
        /** Broker: the inbox entry is not a CloudEvents envelope (or has no {@code event} field). */
        MALFORMED("malformed"),
        /** Broker: larger than the maximum envelope size; the dead letter keeps the beginning. */
        TOO_LARGE("too-large"),
        /** Broker: the catalog has no event of this type. */
        UNKNOWN_TYPE("unknown-type"),
        /** Broker: the catalog has no such version of the type. */
        UNKNOWN_VERSION("unknown-version"),
        /** Broker: the sender is not the type's {@code x-owner}. */
        WRONG_OWNER("wrong-owner"),
        /** Broker: {@code data} does not validate against the version's JSON Schema. */
        INVALID_DATA("invalid-data"),
        /** Broker: checking the entry failed unexpectedly (a bug): kept instead of blocking the inbox. */
        INTERNAL_ERROR("internal-error"),
        /** Broker or worker: delivered more than the delivery limit without being acknowledged. */
        DELIVERY_LIMIT("delivery-limit"),
        /** Worker: the data does not deserialize into the generated record. */
        UNDESERIALIZABLE("undeserializable"),
        /** Worker: the record breaks its constraints on receipt. */
        INVALID("invalid"),
        /** Worker: no handler for the type in any live instance of the service. */
        NO_HANDLER("no-handler"),
        /** Worker: the handler threw a {@link NonRetryableException} (or a type declared non-retryable). */
        NON_RETRYABLE("non-retryable"),
        /** Worker: the handler failed on every attempt. */
        HANDLER_FAILED("handler-failed");

        private final String wire;

        Reason(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }

    /** An error longer than this is cut: a dead letter explains, it does not archive. */
    public static final int MAX_ERROR_CHARS = 8 * 1024;
    /** What a dead letter keeps of an entry too large to route: enough to see what it was. */
    public static final int TOO_LARGE_COPY_CHARS = 64 * 1024;

    /**
     * How long and how many dead letters a stream keeps: the oldest go first, by length at every
     * write (approximately, {@code MAXLEN ~}) and by age in the regular trim. Only dead-letter
     * streams are trimmed this way; event streams lose only acknowledged entries.
     *
     * @param maxAge    dead letters older than this are removed
     * @param maxLength at most about this many are kept
     */
    public record Retention(Duration maxAge, int maxLength) {
        /** Two weeks, 100,000 dead letters. */
        public static final Retention DEFAULT = new Retention(Duration.ofDays(14), 100_000);

        public Retention {
            dev.herald.runtime.stream.Durations.positive(maxAge, "dead-letter retention age");
            if (maxLength < 1) {
                throw new IllegalArgumentException("dead-letter retention length must be >= 1, got " + maxLength);
            }
        }
    }

    /** The fields of a dead-letter stream entry: written by workers and brokers, read by {@link #of}. */
    public static Map<String, String> entry(String event, Reason reason, String error, int attempts, String failedAt, String by) {
        Map<String, String> f = new LinkedHashMap<>();
        String copy = event == null ? "" : reason == Reason.TOO_LARGE && event.length() > TOO_LARGE_COPY_CHARS
                ? event.substring(0, TOO_LARGE_COPY_CHARS) : event;
        f.put("event", copy);
        f.put("reason", reason.wire());
        String e = error == null ? "" : error;
        f.put("error", e.length() > MAX_ERROR_CHARS ? e.substring(0, MAX_ERROR_CHARS) + " ... (" + (e.length() - MAX_ERROR_CHARS) + " more chars)" : e);
        f.put("attempts", Integer.toString(attempts));
        f.put("failedAt", failedAt);
        f.put("by", by);
        return f;
    }

    /** The XADD of a dead letter, trimming the stream to the retention's length. */
    public static StreamAddArgs<String, String> add(Map<String, String> entry, Retention retention) {
        return StreamAddArgs.entries(entry).trimNonStrict().maxLen(retention.maxLength()).noLimit();
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
