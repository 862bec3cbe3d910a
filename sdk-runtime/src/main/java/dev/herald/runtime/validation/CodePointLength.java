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
 * A string's length in Unicode code points, as JSON Schema's {@code minLength} and
 * {@code maxLength} count it (and the broker's validator does). {@code @Size} counts UTF-16 units,
 * so an emoji counts twice there: a text the broker accepts would be refused at every consumer.
 * {@code null} is valid.
 */
@Documented
@Constraint(validatedBy = CodePointLengthValidator.class)
@Target({METHOD, FIELD, ANNOTATION_TYPE, PARAMETER, TYPE_USE})
@Retention(RUNTIME)
public @interface CodePointLength {

    long min() default 0;

    long max() default Long.MAX_VALUE;

    String message() default "length must be between {min} and {max}";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
