package dev.herald.runtime.validation;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.Validator;
import jakarta.validation.constraints.AssertFalse;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Null;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.validation.groups.Default;
import jakarta.validation.metadata.BeanDescriptor;
import jakarta.validation.metadata.ConstraintDescriptor;
import jakarta.validation.metadata.ContainerElementTypeDescriptor;
import jakarta.validation.metadata.PropertyDescriptor;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.hibernate.validator.constraints.UniqueElements;

/**
 * Hibernate Validator's verdict on the valid case, without its per-call reflection: for each record
 * class the constraints Hibernate's own metadata lists ({@link BeanDescriptor}) are turned once
 * into plain checks. {@link #passes} answers only "valid"; any failure, and anything these checks
 * do not know (a constraint outside the generator's vocabulary, a class-level constraint, a
 * non-record bean with constraints, an unexpected value type), answers "ask Hibernate", which then
 * decides and writes the messages. So a check here may be stricter than Hibernate's (it costs a
 * second look) but never more lenient: the agreement tests compare both on every mutation.
 */
final class CompiledChecks {

    /** Thrown while compiling or checking when a case is not one of ours: Hibernate decides. */
    private static final class Undecided extends RuntimeException {
        Undecided() {
            super(null, null, false, false);
        }
    }

    private static final Undecided UNDECIDED = new Undecided();

    private final Validator hibernate;
    private final ClassValue<Predicate<Object>> perClass = new ClassValue<>() {
        @Override
        protected Predicate<Object> computeValue(Class<?> type) {
            try {
                return compile(type);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null; // not ours (Undecided) or a shape nobody foresaw: Hibernate judges this class
            }
        }
    };

    CompiledChecks(Validator hibernate) {
        this.hibernate = hibernate;
    }

    /** True only when {@code value} certainly has no violation; false means "ask Hibernate". */
    boolean passes(Object value) {
        try {
            return bean(value);
        } catch (Undecided e) {
            return false;
        }
    }

    /** Whether checks could be compiled for {@code type} (for the tests: the fast path is really taken). */
    boolean compiles(Class<?> type) {
        return perClass.get(type) != null;
    }

    private boolean bean(Object value) {
        Predicate<Object> checks = perClass.get(value.getClass());
        if (checks == null) {
            throw UNDECIDED;
        }
        return checks.test(value);
    }

    private Predicate<Object> compile(Class<?> type) throws ReflectiveOperationException {
        BeanDescriptor bean = hibernate.getConstraintsForClass(type);
        if (!bean.isBeanConstrained()) {
            return v -> true; // a String, a UUID, a JsonNode: nothing to check inside
        }
        if (!type.isRecord() || !bean.getConstraintDescriptors().isEmpty()) {
            throw UNDECIDED;
        }
        List<Predicate<Object>> properties = new ArrayList<>();
        for (PropertyDescriptor p : bean.getConstrainedProperties()) {
            Method read = accessor(type, p.getPropertyName());
            read.setAccessible(true);
            Predicate<Object> check = element(p.getConstraintDescriptors(), p.isCascaded(), p.getConstrainedContainerElementTypes());
            properties.add(record -> {
                Object v;
                try {
                    v = read.invoke(record);
                } catch (ReflectiveOperationException e) {
                    throw UNDECIDED;
                }
                return check.test(v);
            });
        }
        return allOf(properties);
    }

    /** Passes when every check passes; an array, as this runs for every field of every event. */
    private static Predicate<Object> allOf(List<Predicate<Object>> checks) {
        @SuppressWarnings("unchecked")
        Predicate<Object>[] all = checks.toArray(new Predicate[0]);
        return v -> {
            for (Predicate<Object> c : all) {
                if (!c.test(v)) {
                    return false;
                }
            }
            return true;
        };
    }

    /** The record component Hibernate names {@code property} (a field name, or a bean getter's property). */
    private static Method accessor(Class<?> type, String property) throws NoSuchMethodException {
        for (RecordComponent c : type.getRecordComponents()) {
            if (c.getName().equals(property)) {
                return c.getAccessor();
            }
        }
        String cap = Character.toUpperCase(property.charAt(0)) + property.substring(1);
        for (String name : List.of("get" + cap, "is" + cap)) {
            try {
                return type.getMethod(name);
            } catch (NoSuchMethodException e) {
                // the other prefix
            }
        }
        throw UNDECIDED;
    }

    /** The checks of one value: its constraints, its cascade, and those of its container's elements. */
    private Predicate<Object> element(Set<ConstraintDescriptor<?>> constraints, boolean cascaded,
                                      Set<ContainerElementTypeDescriptor> elements) {
        List<Predicate<Object>> checks = new ArrayList<>();
        for (ConstraintDescriptor<?> c : constraints) {
            checks.add(constraint(c));
        }
        if (cascaded) {
            checks.add(v -> v == null || cascade(v));
        }
        for (ContainerElementTypeDescriptor e : elements) {
            Predicate<Object> each = element(e.getConstraintDescriptors(), e.isCascaded(), e.getConstrainedContainerElementTypes());
            checks.add(containerElements(e.getContainerClass(), e.getTypeArgumentIndex(), each));
        }
        return allOf(checks);
    }

    /** {@code @Valid} on a list or map itself cascades into its elements or values, as in Hibernate. */
    private boolean cascade(Object v) {
        if (v instanceof Iterable<?> it) {
            for (Object o : it) {
                if (o != null && !bean(o)) {
                    return false;
                }
            }
            return true;
        }
        if (v instanceof Map<?, ?> m) {
            for (Object o : m.values()) {
                if (o != null && !bean(o)) {
                    return false;
                }
            }
            return true;
        }
        if (v.getClass().isArray()) {
            throw UNDECIDED;
        }
        return bean(v);
    }

    private static Predicate<Object> containerElements(Class<?> container, Integer argument, Predicate<Object> each) {
        boolean iterable = Iterable.class.isAssignableFrom(container) && argument != null && argument == 0;
        boolean mapKeys = Map.class.isAssignableFrom(container) && argument != null && argument == 0;
        boolean mapValues = Map.class.isAssignableFrom(container) && argument != null && argument == 1;
        if (!iterable && !mapKeys && !mapValues) {
            throw UNDECIDED; // Optional, arrays, other containers: not generated
        }
        return v -> {
            if (v == null) {
                return true;
            }
            Iterable<?> items = iterable ? (Iterable<?>) v : mapKeys ? ((Map<?, ?>) v).keySet() : ((Map<?, ?>) v).values();
            for (Object o : items) {
                if (!each.test(o)) {
                    return false;
                }
            }
            return true;
        };
    }

    /** One constraint, with the semantics of Hibernate Validator 9's validator for it. */
    private static Predicate<Object> constraint(ConstraintDescriptor<?> c) {
        if (!c.getComposingConstraints().isEmpty() || !c.getGroups().equals(Set.of(Default.class))) {
            throw UNDECIDED;
        }
        Annotation a = c.getAnnotation();
        if (a instanceof NotNull) {
            return v -> v != null;
        }
        if (a instanceof Null) {
            return v -> v == null;
        }
        if (a instanceof AssertTrue) {
            return v -> v == null || (v instanceof Boolean b ? b : undecided());
        }
        if (a instanceof AssertFalse) {
            return v -> v == null || (v instanceof Boolean b ? !b : undecided());
        }
        if (a instanceof Size s) {
            int min = s.min();
            int max = s.max();
            return v -> {
                if (v == null) {
                    return true;
                }
                int n = v instanceof CharSequence cs ? cs.length() : v instanceof Collection<?> col ? col.size()
                        : v instanceof Map<?, ?> m ? m.size() : undecidedInt();
                return n >= min && n <= max;
            };
        }
        if (a instanceof Pattern p) {
            int flags = 0;
            for (Pattern.Flag f : p.flags()) {
                flags |= f.getValue();
            }
            java.util.regex.Pattern regex = java.util.regex.Pattern.compile(p.regexp(), flags);
            return v -> v == null || (v instanceof CharSequence cs ? regex.matcher(cs).matches() : undecided());
        }
        if (a instanceof Min m) {
            long bound = m.value();
            return v -> v == null || compare(v, bound) >= 0;
        }
        if (a instanceof Max m) {
            long bound = m.value();
            return v -> v == null || compare(v, bound) <= 0;
        }
        if (a instanceof DecimalMin m) {
            BigDecimal bound = new BigDecimal(m.value());
            boolean inclusive = m.inclusive();
            return v -> v == null || (inclusive ? decimal(v).compareTo(bound) >= 0 : decimal(v).compareTo(bound) > 0);
        }
        if (a instanceof DecimalMax m) {
            BigDecimal bound = new BigDecimal(m.value());
            boolean inclusive = m.inclusive();
            return v -> v == null || (inclusive ? decimal(v).compareTo(bound) <= 0 : decimal(v).compareTo(bound) < 0);
        }
        if (a instanceof Digits d) {
            int integer = d.integer();
            int fraction = d.fraction();
            return v -> {
                if (v == null) {
                    return true;
                }
                // as Hibernate: a BigDecimal as it is, other numbers through their text, trailing zeros stripped
                BigDecimal n = v instanceof BigDecimal bd ? bd : isIntegral(v) ? new BigDecimal(v.toString()).stripTrailingZeros()
                        : undecidedDecimal();
                int integerPart = n.precision() - n.scale();
                int fractionPart = Math.max(n.scale(), 0);
                return integer >= integerPart && fraction >= fractionPart;
            };
        }
        if (a instanceof UniqueElements) {
            return v -> {
                if (!(v instanceof Collection<?> col)) {
                    return v == null || undecided();
                }
                return col.size() < 2 || new HashSet<>(col).size() == col.size();
            };
        }
        if (a instanceof SchemaFormat || a instanceof CodePointLength || a instanceof KnownEnumValue) {
            return herald(c);
        }
        throw UNDECIDED;
    }

    /** Herald's own constraints: their validators ignore the context, so they are called as they are. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Predicate<Object> herald(ConstraintDescriptor<?> c) {
        if (c.getConstraintValidatorClasses().size() != 1) {
            throw UNDECIDED;
        }
        ConstraintValidator validator;
        try {
            validator = c.getConstraintValidatorClasses().get(0).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw UNDECIDED;
        }
        validator.initialize(c.getAnnotation());
        return v -> {
            try {
                return validator.isValid(v, null);
            } catch (ClassCastException e) {
                throw UNDECIDED;
            }
        };
    }

    private static boolean isIntegral(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof BigInteger;
    }

    private static int compare(Object v, long bound) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return Long.compare(((Number) v).longValue(), bound);
        }
        if (v instanceof BigDecimal bd) {
            return bd.compareTo(BigDecimal.valueOf(bound));
        }
        if (v instanceof BigInteger bi) {
            return bi.compareTo(BigInteger.valueOf(bound));
        }
        throw UNDECIDED; // doubles (NaN, infinities) and text are Hibernate's to judge
    }

    private static BigDecimal decimal(Object v) {
        if (v instanceof BigDecimal bd) {
            return bd;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof BigInteger bi) {
            return new BigDecimal(bi);
        }
        throw UNDECIDED;
    }

    private static boolean undecided() {
        throw UNDECIDED;
    }

    private static int undecidedInt() {
        throw UNDECIDED;
    }

    private static BigDecimal undecidedDecimal() {
        throw UNDECIDED;
    }
}
