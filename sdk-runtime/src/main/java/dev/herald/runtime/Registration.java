package dev.herald.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one instance of a service listens to, as stored in Redis ({@code <ns>:{registry}:services},
 * field {@code <service>/<instance>}; see {@code dev.herald.runtime.stream.Registry}).
 *
 * @param service   the service's wire name
 * @param listensTo event names and patterns ({@link EventPattern})
 * @param updatedAt when it was registered (RFC 3339)
 * @param instance  the instance it belongs to
 */
public record Registration(String service, List<String> listensTo, String updatedAt, String instance) {

    public Registration {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("a registration needs a service name");
        }
        if (listensTo == null) {
            throw new IllegalArgumentException("registration of '" + service + "' has no listensTo list");
        }
        listensTo = List.copyOf(listensTo);
    }

    /**
     * Parses every stored registration (field: {@code <service>/<instance>}, or the service name as
     * Herald 0.1 wrote it; value: JSON). One that cannot be read is put into {@code unreadable}
     * (field to reason) and left out, so that it cannot stop the routes of every other service.
     */
    public static Map<String, Registration> readAll(Map<String, String> stored, Map<String, String> unreadable) {
        Map<String, Registration> out = new TreeMap<>();
        stored.forEach((field, json) -> {
            try {
                Registration reg = fromJson(json);
                if (!field.equals(reg.service() + "/" + reg.instance()) && !field.equals(reg.service())) {
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
