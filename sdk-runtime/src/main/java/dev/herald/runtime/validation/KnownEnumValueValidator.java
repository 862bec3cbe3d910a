package dev.herald.runtime.validation;

import dev.herald.runtime.GeneratedEnum;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Checks {@link KnownEnumValue}: refuses the {@code UNKNOWN} constant of a generated enum. */
public final class KnownEnumValueValidator implements ConstraintValidator<KnownEnumValue, GeneratedEnum> {

    @Override
    public boolean isValid(GeneratedEnum value, ConstraintValidatorContext context) {
        return value == null || value.known();
    }
}
