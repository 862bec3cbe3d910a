package dev.herald.runtime;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The trace an event belongs to, carried without any tracer: while a handler runs, its event's
 * {@code traceparent} is current on its thread, and a send from there continues that trace (same
 * trace id and sampling flags, a new parent id), so that one request stays one trace across the
 * services it reaches. A send outside a handler starts a new trace.
 */
public final class TraceContext {

    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private TraceContext() {
    }

    /** Makes {@code traceparent} current on this thread; returns what was current before (for {@link #restore}). */
    static String enter(String traceparent) {
        String before = CURRENT.get();
        CURRENT.set(traceparent);
        return before;
    }

    static void restore(String before) {
        if (before == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(before);
        }
    }

    /** The traceparent of the event being handled on this thread, or null. */
    public static String current() {
        return CURRENT.get();
    }

    /** The traceparent for a new send: a child of the current one if valid, else a new trace. */
    static String forSend() {
        String parent = CURRENT.get();
        return isValid(parent) ? parent.substring(0, 36) + randomSpanId() + parent.substring(52) : Envelope.newTraceparent();
    }

    /** {@code 00-<32 hex, not all zero>-<16 hex, not all zero>-<2 hex>}. */
    public static boolean isValid(String tp) {
        if (tp == null || tp.length() != 55 || !tp.startsWith("00-") || tp.charAt(35) != '-' || tp.charAt(52) != '-') {
            return false;
        }
        for (int i = 3; i < 55; i++) {
            char c = tp.charAt(i);
            if (i != 35 && i != 52 && !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return !tp.substring(3, 35).equals("0".repeat(32)) && !tp.substring(36, 52).equals("0".repeat(16));
    }

    private static String randomSpanId() {
        String h = Long.toHexString(ThreadLocalRandom.current().nextLong() | 1L);
        return "0".repeat(16 - h.length()) + h;
    }
}
