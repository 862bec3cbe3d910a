package dev.herald.runtime;

/**
 * Options of one send.
 *
 * @param notifySelf  also deliver straight to the sender's own service stream (never by default)
 * @param traceparent W3C trace parent to carry; null: a new one
 */
public record SendOptions(boolean notifySelf, String traceparent) {

    public static final SendOptions DEFAULT = new SendOptions(false, null);

    /** Also deliver to the sender's own service stream. */
    public static final SendOptions NOTIFY_SELF = new SendOptions(true, null);

    public SendOptions withTraceparent(String tp) {
        return new SendOptions(notifySelf, tp);
    }
}
