package dev.herald.runtime.validation;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hibernate.validator.spi.nodenameprovider.JavaBeanProperty;
import org.hibernate.validator.spi.nodenameprovider.Property;
import org.hibernate.validator.spi.nodenameprovider.PropertyNodeNameProvider;

/**
 * Names Hibernate Validator's property path nodes after the JSON property, as Jackson writes it
 * ({@code @JsonProperty}, naming strategies), so that a violation points into the payload
 * ({@code shipping.postal-code}) rather than at a Java field ({@code shipping.postalCode}).
 */
final class JsonPropertyNodeNameProvider implements PropertyNodeNameProvider {

    private final ObjectMapper mapper;
    private final Map<Class<?>, Map<String, String>> namesByClass = new ConcurrentHashMap<>();

    JsonPropertyNodeNameProvider(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public String getName(Property property) {
        if (property instanceof JavaBeanProperty bean) {
            String json = namesByClass.computeIfAbsent(bean.getDeclaringClass(), this::jsonNames)
                    .get(property.getName());
            if (json != null) {
                return json;
            }
        }
        return property.getName();
    }

    private Map<String, String> jsonNames(Class<?> type) {
        SerializationConfig config = mapper.getSerializationConfig();
        JavaType javaType = config.constructType(type);
        BeanDescription description = config.introspect(javaType);
        Map<String, String> names = new HashMap<>();
        for (BeanPropertyDefinition definition : description.findProperties()) {
            names.put(definition.getInternalName(), definition.getName());
        }
        return Map.copyOf(names);
    }
}
