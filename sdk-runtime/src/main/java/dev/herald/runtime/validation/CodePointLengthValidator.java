package dev.herald.runtime.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Checks {@link CodePointLength}. */
public final class CodePointLengthValidator implements ConstraintValidator<CodePointLength, CharSequence> {

    private long min;
    private long max;

    @Override
    public void initialize(CodePointLength constraint) {
        this.min = constraint.min();
        this.max = constraint.max();
    }

    @Override
    public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        if (value.length() < min || (value.length() + 1) / 2 > max) {
            return false; // a code point is one or two UTF-16 units: decided without counting
        }
        long codePoints = Character.codePointCount(value, 0, value.length());
        return codePoints >= min && codePoints <= max;
    }
}
