package dev.herald.spring;

/** Herald cannot start as configured: the message names the property or the method, and the fix. */
public class HeraldConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public HeraldConfigurationException(String message) {
        super(message);
    }
}
