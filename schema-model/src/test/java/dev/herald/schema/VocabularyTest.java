package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The vocabulary is right about the validator, and it is the only place that maps values to Java types. */
class VocabularyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** For each asserted format a value the validator refuses; for a format it does not know, nothing is refused. */
    private static final Map<String, String> MALFORMED = Map.ofEntries(
            Map.entry("date-time", "2026-11-22 10:00"), Map.entry("date", "22/11/2026"), Map.entry("time", "10:00"),
            Map.entry("duration", "5 minutes"), Map.entry("email", "no-at-sign"), Map.entry("idn-email", "no-at-sign"),
            Map.entry("hostname", "under_score"), Map.entry("idn-hostname", "under_score"), Map.entry("ipv4", "1.2.3.999"),
            Map.entry("ipv6", "2001:db8:::zz"), Map.entry("uri", "not a uri"), Map.entry("uri-reference", "\\\\bad"),
            Map.entry("iri", "not an iri"), Map.entry("iri-reference", "\\\\bad"), Map.entry("uri-template", "http://x/{id"),
            Map.entry("json-pointer", "no/slash"), Map.entry("relative-json-pointer", "/abs"), Map.entry("regex", "[a-"),
            Map.entry("uuid", "not-a-uuid"));

    @Test
    void theAssertedFormatsAreExactlyThoseTheValidatorChecks() throws Exception {
        SchemaRegistry registry = HeraldDialect.validatorRegistry(iri -> null);
        assertThat(MALFORMED.keySet()).isEqualTo(Vocabulary.ASSERTED_FORMATS);
        for (Map.Entry<String, String> e : MALFORMED.entrySet()) {
            assertThat(validate(registry, e.getKey(), e.getValue())).as("%s refuses %s", e.getKey(), e.getValue()).isNotEmpty();
        }
        assertThat(validate(registry, "product-code", "anything at all")).as("an unknown format is an annotation").isEmpty();
    }

    private static List<?> validate(SchemaRegistry registry, String format, String value) throws IOException {
        Schema schema = registry.getSchema(SchemaLocation.of("herald:test/" + format), JSON.readTree(
                "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"string\",\"format\":\"" + format + "\"}"));
        return schema.validate(JSON.getNodeFactory().textNode(value));
    }

    @Test
    void typedFormatsAreNotCheckedTwice() {
        assertThat(Vocabulary.checkedAsString("date-time")).as("Instant parsing is the check").isFalse();
        assertThat(Vocabulary.checkedAsString("hostname")).isTrue();
        assertThat(Vocabulary.checkedAsString("product-code")).isFalse();
        assertThat(Vocabulary.scalarType("string", "product-code").orElseThrow()).isEqualTo(Vocabulary.STRING);
        assertThat(Vocabulary.scalarType("string", "date-time").orElseThrow().qualifiedName()).isEqualTo("java.time.Instant");
    }

    /**
     * No other main source names a Java type for a JSON value: the generator, the checker and the
     * runtime ask the vocabulary. (A module that maps {@code date-time} itself is how the checker
     * came to say {@code OffsetDateTime} while the generator wrote {@code Instant}.)
     */
    @Test
    void noOtherModuleDecidesAJavaTypeOnItsOwn() throws IOException {
        Path repo = Path.of("").toAbsolutePath().getParent();
        Pattern decision = Pattern.compile("\"(Instant|OffsetDateTime|OffsetTime|LocalDate|LocalTime|UUID|URI|BigDecimal"
                + "|java\\.time|java\\.net|java\\.math)\"|case \"(date-time|date|uuid|uri|time)\"");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(repo)) {
            files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/")
                            && !p.toString().contains("/target/") && !p.getFileName().toString().equals("Vocabulary.java"))
                    .forEach(p -> {
                        try {
                            List<String> lines = Files.readAllLines(p);
                            for (int i = 0; i < lines.size(); i++) {
                                if (decision.matcher(lines.get(i)).find()) {
                                    found.add(repo.relativize(p) + ":" + (i + 1) + ": " + lines.get(i).trim());
                                }
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        }
        assertThat(found).as("type decisions outside dev.herald.schema.Vocabulary").isEmpty();
    }
}
