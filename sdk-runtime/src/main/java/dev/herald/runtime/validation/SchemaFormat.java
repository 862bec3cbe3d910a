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
 * A string in a JSON Schema {@code format} ({@code hostname}, {@code ipv4}, {@code email},
 * {@code uri-template}, …), checked by the same rule, from the same library and configuration, as
 * the broker's schema validation: what the broker accepts, the record accepts, and the other way
 * round. {@code null} is valid.
 */
@Documented
@Constraint(validatedBy = SchemaFormatValidator.class)
@Target({METHOD, FIELD, ANNOTATION_TYPE, PARAMETER, TYPE_USE})
@Retention(RUNTIME)
public @interface SchemaFormat {

    /** The format's name, as the schema writes it. */
    String value();

    String message() default "must be a valid {value}";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
