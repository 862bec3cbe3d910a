package dev.herald.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.util.List;

/**
 * What a service listens to, as stored in Redis ({@code <ns>:{registry}:services}).
 *
 * @param service   the service's wire name
 * @param listensTo event names and patterns ({@link EventPattern})
 * @param updatedAt when it was registered (RFC 3339)
 * @param instance  the instance that registered it last
 */
public record Registration(String service, List<String> listensTo, String updatedAt, String instance) {

    public Registration {
        listensTo = List.copyOf(listensTo);
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
        } catch (JsonProcessingException e) {
            throw new HeraldException("cannot read registration " + json, e);
        }
    }
}
