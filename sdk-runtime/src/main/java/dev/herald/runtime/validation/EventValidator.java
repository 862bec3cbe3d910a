package dev.herald.runtime.validation;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.hibernate.validator.HibernateValidator;

/**
 * Checks a generated event (or any generated record) against the constraints the generator
 * derived from its JSON Schema, with Hibernate Validator, and reports every violation with its
 * JSON path and an English message:
 *
 * <pre>{@code
 * items[2].quantity: must be greater than or equal to 1
 * customer.email: must be a well-formed email address
 * status: must be one of the values this SDK knows; UNKNOWN stands for a value it could not read and cannot be sent
 * }</pre>
 *
 * <p>Paths use the JSON property names (as Jackson writes them), indexes for list elements and
 * keys for map entries. Nested records are validated through {@code @Valid}; a generated enum
 * holding {@code UNKNOWN} is refused ({@link KnownEnumValue}).
 *
 * <p>A valid event is recognised by checks compiled once per record class from Hibernate's own
 * metadata (1–2 µs for the order.created example, where Hibernate takes 5–6 µs); an event they do not pass
 * goes to Hibernate, which decides and words the violations ({@link CompiledChecks}).
 *
 * <p>Usage (one instance per application; it is thread-safe and building it is costly):
 *
 * <pre>{@code
 * EventValidator validator = EventValidator.create();       // or create(yourObjectMapper)
 *
 * List<Violation> violations = validator.validate(event);   // sorted by path, then message
 * if (!violations.isEmpty()) {
 *     // Violation.toString() is "path: message", e.g. "items[2].quantity: must be greater than or equal to 1"
 *     throw new EventValidationException(type.wireName(),
 *             violations.stream().map(Violation::toString).toList());
 * }
 * }</pre>
 *
 * <p>Pass the {@link ObjectMapper} the application serializes events with when it uses a
 * naming strategy; the generated records carry explicit {@code @JsonProperty} names, so the
 * default mapper gives the right names for them. To read JSON with the same verdict as the
 * schema (no lenient coercions), configure the mapper with {@link StrictJson#configure}.
 */
public final class EventValidator implements AutoCloseable {

    private final ValidatorFactory factory;
    private final Validator validator;
    private final CompiledChecks compiled;

    private EventValidator(ObjectMapper mapper) {
        this.factory = Validation.byProvider(HibernateValidator.class)
                .configure()
                .propertyNodeNameProvider(new JsonPropertyNodeNameProvider(mapper))
                .defaultLocale(Locale.ENGLISH)
                .locales(Locale.ENGLISH)
                .buildValidatorFactory();
        this.validator = factory.getValidator();
        this.compiled = new CompiledChecks(validator);
    }

    /** A validator naming properties as a default {@link ObjectMapper} would. */
    public static EventValidator create() {
        return new EventValidator(new ObjectMapper());
    }

    /** A validator naming properties as {@code mapper} writes them. */
    public static EventValidator create(ObjectMapper mapper) {
        return new EventValidator(Objects.requireNonNull(mapper, "mapper"));
    }

    /**
     * Every violation of {@code event}, sorted by path then message; empty when it is valid.
     *
     * @throws NullPointerException if {@code event} is null
     */
    public List<Violation> validate(Object event) {
        Objects.requireNonNull(event, "event");
        if (compiled.passes(event)) {
            return List.of(); // the common case, decided by checks compiled once per record class
        }
        return byHibernate(event);
    }

    /** Hibernate Validator's verdict alone (the judge of every event the compiled checks do not pass). */
    List<Violation> byHibernate(Object event) {
        Set<ConstraintViolation<Object>> found = validator.validate(event);
        if (found.isEmpty()) {
            return List.of();
        }
        List<Violation> violations = new ArrayList<>(found.size());
        for (ConstraintViolation<Object> violation : found) {
            violations.add(new Violation(jsonPath(violation.getPropertyPath()), violation.getMessage()));
        }
        Collections.sort(violations);
        return List.copyOf(violations);
    }

    /** The checks compiled from Hibernate's metadata (package-private: for the agreement tests). */
    CompiledChecks compiled() {
        return compiled;
    }

    /** Whether {@code event} has no violation. */
    public boolean isValid(Object event) {
        return validate(event).isEmpty();
    }

    @Override
    public void close() {
        factory.close();
    }

    /**
     * {@code items[2].quantity}: property names joined by dots, list indexes and map keys in
     * brackets after the container they index. Container-element nodes ({@code <list element>})
     * and bean nodes add only their index or key.
     */
    static String jsonPath(Path path) {
        StringBuilder out = new StringBuilder();
        for (Path.Node node : path) {
            if (node.isInIterable()) {
                if (node.getIndex() != null) {
                    out.append('[').append(node.getIndex()).append(']');
                } else if (node.getKey() != null) {
                    out.append('[').append(node.getKey()).append(']');
                } else {
                    out.append("[]");
                }
            }
            if (node.getKind() == ElementKind.PROPERTY && node.getName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(node.getName());
            }
        }
        return out.toString();
    }
}
