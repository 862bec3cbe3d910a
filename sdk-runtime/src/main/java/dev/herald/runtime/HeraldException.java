package dev.herald.runtime;

/** Base of the exceptions the bus throws. */
public class HeraldException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public HeraldException(String message) {
        super(message);
    }

    public HeraldException(String message, Throwable cause) {
        super(message, cause);
    }
}
