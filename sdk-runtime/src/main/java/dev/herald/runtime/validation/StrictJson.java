package dev.herald.runtime.validation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;

/**
 * Jackson settings under which reading a payload into a generated record accepts exactly what
 * the JSON Schema accepts (together with the record's annotations and {@link EventValidator}).
 *
 * <p>Jackson's defaults are lenient where JSON Schema is not: {@code "5"} is read into a
 * {@code long}, {@code 5} into a {@code String}, {@code 1.7} into a {@code long} (truncated),
 * {@code null} into a primitive as zero, a number into an {@code Instant}. Each of these is a
 * payload the schema refuses, so a consumer reading leniently would accept events the broker's
 * schema check rejects. This class turns those coercions off, registers java.time support and
 * writes dates as ISO-8601 strings. The generator's agreement test (record + validator vs. the
 * schema, on mutated payloads) runs with exactly this configuration.
 *
 * <pre>{@code
 * JsonMapper mapper = StrictJson.mapper();
 * // or: StrictJson.configure(JsonMapper.builder().addModule(...)).build();
 * }</pre>
 */
public final class StrictJson {

    private StrictJson() {
    }

    /** A new mapper with only the strict settings. */
    public static JsonMapper mapper() {
        return configure(JsonMapper.builder()).build();
    }

    /** Applies the strict settings to {@code builder} and returns it. */
    public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
        return builder
                .addModule(new JavaTimeModule())
                .addModule(new SimpleModule("herald-strict-time")
                        .addDeserializer(Instant.class, new StringOnlyInstantDeserializer())
                        .addDeserializer(URI.class, new StringOnlyUriDeserializer()))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .defaultLeniency(false)
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, config -> config
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Float, config -> config
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Boolean, config -> config
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Enum, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.POJO, config -> config
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Collection, config -> config
                        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail));
    }

    /**
     * jackson-datatype-jsr310 reads a JSON number as epoch seconds into an {@link Instant} even
     * when leniency is off; a {@code date-time} in JSON Schema is a string only.
     */
    private static final class StringOnlyInstantDeserializer extends StdScalarDeserializer<Instant> {

        private static final long serialVersionUID = 1L;

        StringOnlyInstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser);
            }
            return InstantDeserializer.INSTANT.deserialize(parser, context);
        }
    }

    /** Jackson reads {@code 12345} or {@code true} into a (relative) {@link URI}; a {@code uri} is a string. */
    private static final class StringOnlyUriDeserializer extends StdScalarDeserializer<URI> {

        private static final long serialVersionUID = 1L;

        StringOnlyUriDeserializer() {
            super(URI.class);
        }

        @Override
        public URI deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (URI) context.handleUnexpectedToken(URI.class, parser);
            }
            String text = parser.getText();
            try {
                return new URI(text);
            } catch (URISyntaxException e) {
                return (URI) context.handleWeirdStringValue(URI.class, text, "not a URI: %s", e.getMessage());
            }
        }
    }
}
