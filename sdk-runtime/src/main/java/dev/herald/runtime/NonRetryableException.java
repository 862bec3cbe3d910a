package dev.herald.runtime;

/**
 * Thrown by a handler when retrying cannot help (the event is wrong for this service, a business
 * rule refuses it for good): the event goes to the service's dead-letter stream at once.
 */
public class NonRetryableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NonRetryableException(String message) {
        super(message);
    }

    public NonRetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
