package dev.herald.compat;

/** A usage or input problem (bad file, bad config, missing git ref): exit code 2, never a verdict. */
public class CompatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CompatException(String message) {
        super(message);
    }

    public CompatException(String message, Throwable cause) {
        super(message, cause);
    }
}
