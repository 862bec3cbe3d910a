package dev.herald.runtime;

import dev.herald.schema.EventPattern;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one instance of a service listens to, as stored in Redis ({@code <ns>:{registry}:svc:<service>},
 * field {@code <instance>}; see {@code dev.herald.runtime.stream.Registry}).
 *
 * @param service   the service's wire name
 * @param listensTo event names and patterns ({@link EventPattern})
 * @param updatedAt when it was registered (RFC 3339)
 * @param instance  the instance it belongs to
 * @param stoppedAt when the instance closed (RFC 3339), or null while it runs (or crashed: only a
 *                  clean close says so). Brokers route a service by its running instances, and by
 *                  all of them when none runs, so that a stopped service keeps collecting events.
 * @param group     the service's consumer group on the topics ({@link RedisKeys#topicGroup(String, String)}),
 *                  or null for the service's name: brokers create the groups a service lacks by it
 */
public record Registration(String service, List<String> listensTo, String updatedAt, String instance, String stoppedAt, String group) {

    public Registration(String service, List<String> listensTo, String updatedAt, String instance) {
        this(service, listensTo, updatedAt, instance, null, null);
    }

    public Registration(String service, List<String> listensTo, String updatedAt, String instance, String stoppedAt) {
        this(service, listensTo, updatedAt, instance, stoppedAt, null);
    }

    public Registration {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("a registration needs a service name");
        }
        if (listensTo == null) {
            throw new IllegalArgumentException("registration of '" + service + "' has no listensTo list");
        }
        listensTo = List.copyOf(listensTo);
        if (group != null && !RedisKeys.groupService(group).equals(service)) {
            throw new IllegalArgumentException("registration of '" + service + "' names group '" + group + "' of another service");
        }
    }

    /** The consumer group this registration's instance reads the topics as. */
    public String topicGroup() {
        return group != null ? group : RedisKeys.topicGroup(service);
    }

    /**
     * Parses every stored registration (by {@code <service>/<instance>}; value: JSON). One that
     * cannot be read is put into {@code unreadable} (name to reason) and left out, so that it
     * cannot stop the routes of every other service.
     */
    public static Map<String, Registration> readAll(Map<String, String> stored, Map<String, String> unreadable) {
        Map<String, Registration> out = new TreeMap<>();
        stored.forEach((field, json) -> {
            try {
                Registration reg = fromJson(json);
                if (!field.equals(reg.service() + "/" + reg.instance())) {
                    throw new HeraldException("it names service '" + reg.service() + "' and instance '" + reg.instance()
                            + "' but is stored under '" + field + "'");
                }
                out.put(field, reg);
            } catch (RuntimeException e) {
                unreadable.put(field, e.getMessage());
            }
        });
        return out;
    }

    /** This registration, marked as stopped now. */
    public Registration stopped(String at) {
        return new Registration(service, listensTo, updatedAt, instance, at, group);
    }

    public boolean stopped() {
        return stoppedAt != null;
    }

    /**
     * The registrations a service is routed by: those of its running instances, or, when none
     * runs, all of them (the service is down, its events queue for when it returns).
     */
    public static List<Registration> effective(List<Registration> ofOneService) {
        List<Registration> running = ofOneService.stream().filter(r -> !r.stopped()).toList();
        return running.isEmpty() ? ofOneService : running;
    }

    public boolean listensTo(String eventName) {
        for (String p : listensTo) {
            if (EventPattern.matches(p, eventName)) {
                return true;
            }
        }
        return false;
    }

    public String toJson() {
        try {
            return Json.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new HeraldException("cannot write registration", e);
        }
    }

    public static Registration fromJson(String json) {
        try {
            return Json.mapper().readValue(json, Registration.class);
        } catch (JsonProcessingException | RuntimeException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            throw new HeraldException("cannot read registration " + json + ": " + cause.getMessage(), e);
        }
    }
}
