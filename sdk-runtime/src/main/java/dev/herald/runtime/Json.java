package dev.herald.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.herald.runtime.validation.StrictJson;

/**
 * The one Jackson configuration of the bus: plain JSON, no default typing, ISO-8601 dates, the
 * strict scalar rules of {@link StrictJson} (a record reads exactly what its schema accepts), but
 * unknown properties ignored on read (a newer producer may add optional fields).
 */
public final class Json {

    private static final ObjectMapper MAPPER = StrictJson.configure(JsonMapper.builder())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // receivers read data through a JSON tree: keep 19.90 as 19.90 (scale matters to BigDecimal.equals)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            // sends write UTF-8 bytes directly: a character beyond the BMP as its 4 UTF-8 bytes, as
            // a String encoded to UTF-8 would be, not as two escaped surrogates (12 bytes)
            .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private Json() {
    }

    /** The shared, thread-safe mapper. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
