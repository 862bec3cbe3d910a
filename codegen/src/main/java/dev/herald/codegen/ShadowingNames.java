package dev.herald.codegen;

import com.palantir.javapoet.ClassName;
import dev.herald.schema.EventDef;
import dev.herald.schema.Registry;
import dev.herald.schema.TypeDef;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;

/**
 * The simple names a nested generated type must not take. Inside a record, javac resolves a
 * simple name to a member type before an import or a same-package type, while JavaPoet writes the
 * record header's component types by their simple name whenever they are imported or in the
 * package: a nested {@code Repository} would silently retype a component meant to be the shared
 * {@code Repository}, a nested {@code Pattern} would capture {@code @Pattern}. So a nested type never
 * takes the name of a top-level type of the registry, of a type the generated code refers to, or
 * of {@code java.lang}'s common types.
 */
final class ShadowingNames {

    private static final Set<String> JAVA_LANG = Set.of("Object", "String", "Long", "Integer", "Boolean", "Double",
            "Float", "Short", "Byte", "Character", "Number", "Math", "Class", "Enum", "Record", "System",
            "Deprecated", "Override", "SuppressWarnings", "FunctionalInterface", "Iterable", "Comparable", "Exception",
            "RuntimeException", "Error", "Throwable", "Thread", "Runnable", "Void");

    private ShadowingNames() {
    }

    static Set<String> of(Registry registry) {
        Set<String> names = new HashSet<>(JAVA_LANG);
        names.addAll(referencedByGeneratedCode());
        names.add("EventType");
        names.add("ServiceName");
        for (EventDef event : registry.events()) {
            names.add(event.javaName());
        }
        for (TypeDef type : registry.types()) {
            names.add(type.javaName());
        }
        return Set.copyOf(names);
    }

    /** Every class the generator writes into generated code is one of these constants: their simple names. */
    static Set<String> referencedByGeneratedCode() {
        Set<String> names = new HashSet<>();
        for (Class<?> c : new Class<?>[] {TypeResolver.class, JavaEmitter.class}) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == ClassName.class) {
                    try {
                        f.setAccessible(true);
                        names.add(((ClassName) f.get(null)).simpleName());
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return names;
    }
}
