package dev.herald.spring;

import dev.herald.runtime.Catalog;
import dev.herald.runtime.Envelope;
import dev.herald.runtime.EventContext;
import dev.herald.runtime.HeraldEvent;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link HeraldListener} methods of an application, found by the beans' types before any bean
 * is created (so that {@code listens-to} can default to them), each checked: one or two
 * parameters, the first a generated event of the catalog or {@code Envelope}, the second an
 * {@code EventContext}; one method per event, one catch-all.
 */
final class ListenerMethods {

    /** One method: on bean {@code beanName}, taking {@code eventType} (null: the catch-all). */
    record Listener(String beanName, Method method, Class<?> eventClass, String eventType) {
        String describe() {
            return method.getDeclaringClass().getName() + "." + method.getName() + "(" + String.join(", ",
                    java.util.Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).toList()) + ")";
        }
    }

    private ListenerMethods() {
    }

    static List<Listener> scan(ConfigurableListableBeanFactory beans, Catalog catalog) {
        List<Listener> found = new ArrayList<>();
        for (String name : beans.getBeanDefinitionNames()) {
            Class<?> type = beans.getType(name, false);
            if (type == null) {
                continue;
            }
            Class<?> user = ClassUtils.getUserClass(type);
            for (Method m : ReflectionUtils.getUniqueDeclaredMethods(user, ReflectionUtils.USER_DECLARED_METHODS)) {
                if (m.isAnnotationPresent(HeraldListener.class)) {
                    found.add(check(name, m, catalog));
                }
            }
        }
        Map<String, Listener> byEvent = new LinkedHashMap<>();
        for (Listener l : found) {
            String key = l.eventType() == null ? "the catch-all (Envelope)" : l.eventType();
            Listener before = byEvent.putIfAbsent(key, l);
            if (before != null) {
                throw new HeraldConfigurationException("two @HeraldListener methods for " + key + ": " + before.describe() + " and "
                        + l.describe() + ". An event has one handler per service: merge them, or move one to another service");
            }
        }
        return List.copyOf(found);
    }

    private static Listener check(String beanName, Method m, Catalog catalog) {
        Class<?>[] p = m.getParameterTypes();
        String where = "@HeraldListener " + m.getDeclaringClass().getName() + "." + m.getName();
        if (p.length < 1 || p.length > 2 || (p.length == 2 && p[1] != EventContext.class)) {
            throw new HeraldConfigurationException(where + " must take (EventRecord) or (EventRecord, EventContext), where EventRecord is a"
                    + " generated event such as OrderCreated, or Envelope for a catch-all; it takes " + java.util.Arrays.toString(p));
        }
        if (p[0] == Envelope.class) {
            return new Listener(beanName, m, Envelope.class, null);
        }
        Catalog.EventInfo info = HeraldEvent.class.isAssignableFrom(p[0]) ? catalog.eventFor(p[0]).orElse(null) : null;
        if (info == null) {
            throw new HeraldConfigurationException(where + ": its parameter " + p[0].getName() + " is not a generated event of the catalog"
                    + " on the class path (events: " + catalog.events().stream().map(Catalog.EventInfo::javaClass).toList()
                    + "); take one of them, or Envelope for a catch-all");
        }
        ReflectionUtils.makeAccessible(m);
        return new Listener(beanName, m, p[0], info.name());
    }
}
