package dev.herald.runtime.validation;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * The annotated {@link dev.herald.runtime.GeneratedEnum} must not be {@code UNKNOWN}; {@code null}
 * is valid (pair with {@code @NotNull} for required values).
 *
 * <p>The generator puts it on every property (and list element / map value) whose type is a
 * generated enum. A value this SDK does not know is read as {@code UNKNOWN} so that consumers
 * keep working when a producer is newer, but such an event can never be sent: the
 * {@link EventValidator} refuses it.
 */
@Documented
@Constraint(validatedBy = KnownEnumValueValidator.class)
@Target({METHOD, FIELD, ANNOTATION_TYPE, PARAMETER, TYPE_USE})
@Retention(RUNTIME)
public @interface KnownEnumValue {

    String message() default "must be one of the values this SDK knows; UNKNOWN stands for a value it could not read and cannot be sent";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
