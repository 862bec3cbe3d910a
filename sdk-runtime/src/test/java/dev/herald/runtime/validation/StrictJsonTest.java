package dev.herald.runtime.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

    record Sample(@JsonProperty("count") long count,
                  @JsonProperty("name") String name,
                  @JsonProperty("flag") Boolean flag,
                  @JsonProperty("price") BigDecimal price,
                  @JsonProperty("at") Instant at,
                  @JsonProperty("day") LocalDate day,
                  @JsonProperty("link") java.net.URI link) {
    }

    private final ObjectMapper strict = StrictJson.mapper();

    @Test
    void readsAndWritesWellTypedPayloadsUnchanged() throws Exception {
        String json = "{\"count\":3,\"name\":\"n\",\"flag\":true,\"price\":10.50,"
                + "\"at\":\"2026-11-22T10:00:00Z\",\"day\":\"2026-11-22\",\"link\":\"https://example.com/a\"}";

        Sample sample = strict.readValue(json, Sample.class);

        assertThat(sample).isEqualTo(new Sample(3, "n", true, new BigDecimal("10.50"),
                Instant.parse("2026-11-22T10:00:00Z"), LocalDate.of(2026, 11, 22),
                java.net.URI.create("https://example.com/a")));
        assertThat(strict.readTree(strict.writeValueAsString(sample))).isEqualTo(strict.readTree(json));
    }

    @Test
    void readsDateTimesWithAnOffsetAsTheSameInstant() throws Exception {
        Sample sample = strict.readValue("{\"count\":1,\"at\":\"2026-11-22T11:00:00+01:00\"}", Sample.class);
        assertThat(sample.at()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"count\":\"3\"}",          // string into integer
            "{\"count\":1.5}",            // fraction into integer
            "{\"count\":null}",           // null into a primitive
            "{\"count\":true}",           // boolean into integer
            "{\"count\":1,\"name\":5}",   // number into string
            "{\"count\":1,\"name\":true}",// boolean into string
            "{\"count\":1,\"flag\":\"true\"}", // string into boolean
            "{\"count\":1,\"flag\":1}",   // number into boolean
            "{\"count\":1,\"price\":\"1.5\"}", // string into number
            "{\"count\":1,\"at\":1700000000}", // number into date-time
            "{\"count\":1,\"day\":20000}",     // number into date
            "{\"count\":1,\"at\":\"2026-11-22T10:00:00\"}", // date-time without offset
            "{\"count\":1,\"link\":12345}",    // number into uri
            "{\"count\":1,\"link\":true}",     // boolean into uri
            "{\"count\":1,\"link\":\"not a uri\"}", // malformed uri
            "{\"count\":1} {}"            // trailing content
    })
    void refusesWhatTheSchemaRefuses(String json) {
        assertThatThrownBy(() -> strict.readValue(json, Sample.class)).isInstanceOf(DatabindException.class);
    }

    @Test
    void theDefaultMapperWouldHaveAcceptedThem() throws Exception {
        // guards the test above: if Jackson's defaults became strict, this documents it
        ObjectMapper lenient = new ObjectMapper();
        assertThat(lenient.readValue("{\"count\":\"3\",\"name\":5}", Sample.class).count()).isEqualTo(3);
    }
}
