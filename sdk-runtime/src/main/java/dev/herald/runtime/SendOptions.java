package dev.herald.runtime;

import java.time.Duration;

/**
 * Options of one send.
 *
 * @param notifySelf     also deliver straight to the sender's own service stream (never by default)
 * @param traceparent    W3C trace parent to carry; null: a new one
 * @param replicas       how many replicas must have the event before the send returns (0: the
 *                       primary's answer is enough); see {@link #waitForReplicas}
 * @param replicaTimeout how long to wait for them
 */
public record SendOptions(boolean notifySelf, String traceparent, int replicas, Duration replicaTimeout) {

    public static final SendOptions DEFAULT = new SendOptions(false, null);

    /** Also deliver to the sender's own service stream. */
    public static final SendOptions NOTIFY_SELF = new SendOptions(true, null);

    public SendOptions(boolean notifySelf, String traceparent) {
        this(notifySelf, traceparent, 0, Duration.ZERO);
    }

    public SendOptions {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must be 0 or more, got " + replicas);
        }
        replicaTimeout = replicaTimeout == null ? Duration.ZERO : replicaTimeout;
        if (replicas > 0 && (replicaTimeout.isZero() || replicaTimeout.isNegative())) {
            throw new IllegalArgumentException("waiting for replicas needs a timeout above 0 (a WAIT without one can block forever)");
        }
    }

    public SendOptions withTraceparent(String tp) {
        return new SendOptions(notifySelf, tp, replicas, replicaTimeout);
    }

    /**
     * The send returns only once {@code n} replicas of the Redis primary that took the event have
     * it too (Redis {@code WAIT}), or fails after {@code timeout} saying how many did. What it
     * promises: a failover to one of those replicas keeps the event. What it does not: the event
     * is on the primary either way (a failed wait is no rollback: send again, handlers see the
     * duplicate by its id), a replica may still lose it if it restarts without persistence, and
     * it is no fsync (that is {@code appendfsync always} on the servers).
     */
    public SendOptions waitForReplicas(int n, Duration timeout) {
        return new SendOptions(notifySelf, traceparent, n, timeout);
    }
}
