package dev.herald.runtime.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.runtime.GeneratedEnum;
import dev.herald.runtime.HeraldEvent;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Records shaped like the generator's output: JSON names differ from Java names on purpose. */
class EventValidatorTest {

    enum Status implements GeneratedEnum {
        PAID("paid"),
        IN_TRANSIT("in-transit"),
        UNKNOWN("UNKNOWN");

        private final String wireValue;

        Status(String wireValue) {
            this.wireValue = wireValue;
        }

        @Override
        @JsonValue
        public String wireValue() {
            return wireValue;
        }

        @Override
        public boolean known() {
            return this != UNKNOWN;
        }

        @JsonCreator
        static Status fromWireValue(String value) {
            for (Status status : values()) {
                if (status != UNKNOWN && status.wireValue.equals(value)) {
                    return status;
                }
            }
            return UNKNOWN;
        }
    }

    record Money(@JsonProperty("amount") @NotNull @DecimalMin("0") BigDecimal amount,
                 @JsonProperty("currency") @NotNull @Pattern(regexp = "^[A-Z]{3}$") String currency) {
    }

    record Line(@JsonProperty("sku") @NotNull String sku,
                @JsonProperty("quantity") @Min(1) long quantity,
                @JsonProperty("unit-price") @Valid Money unitPrice) {
    }

    record OrderPlaced(
            @JsonProperty("order-id") @NotNull @Size(min = 3) String orderId,
            @JsonProperty("items") @NotNull @Size(min = 1) List<@Valid @NotNull Line> items,
            @JsonProperty("status") @KnownEnumValue Status status,
            @JsonProperty("previous-statuses") List<@KnownEnumValue Status> previousStatuses,
            @JsonProperty("tags") List<@Size(max = 5) String> tags,
            @JsonProperty("totals") Map<String, @Valid Money> totals,
            @JsonProperty("customer-email") @Email String customerEmail) implements HeraldEvent {
    }

    private static final EventValidator VALIDATOR = EventValidator.create();

    @AfterAll
    static void close() {
        VALIDATOR.close();
    }

    private static Line line(String sku, long quantity) {
        return new Line(sku, quantity, new Money(new BigDecimal("1.50"), "EUR"));
    }

    private static OrderPlaced valid() {
        return new OrderPlaced("o-1", List.of(line("a", 1), line("b", 2), line("c", 3)), Status.PAID,
                List.of(Status.IN_TRANSIT), List.of("gift"), Map.of("EUR", new Money(BigDecimal.TEN, "EUR")),
                "ann@example.com");
    }

    @Test
    void aValidEventHasNoViolation() {
        assertThat(VALIDATOR.validate(valid())).isEmpty();
        assertThat(VALIDATOR.isValid(valid())).isTrue();
    }

    @Test
    void reportsTheJsonPathOfAListElementsProperty() {
        OrderPlaced event = new OrderPlaced("o-1", List.of(line("a", 1), line("b", 2), line("c", 0)),
                Status.PAID, null, null, null, null);

        assertThat(VALIDATOR.validate(event)).extracting(Violation::toString)
                .containsExactly("items[2].quantity: must be greater than or equal to 1");
    }

    @Test
    void usesJsonPropertyNamesNotJavaNames() {
        Line badPrice = new Line("a", 1, new Money(new BigDecimal("-1"), "eur"));
        OrderPlaced event = new OrderPlaced(null, List.of(badPrice), Status.PAID, null, null, null, null);

        assertThat(VALIDATOR.validate(event)).extracting(Violation::toString).containsExactly(
                "items[0].unit-price.amount: must be greater than or equal to 0",
                "items[0].unit-price.currency: must match \"^[A-Z]{3}$\"",
                "order-id: must not be null");
    }

    @Test
    void refusesUnknownEnumValuesOnPropertiesAndListElements() {
        OrderPlaced event = new OrderPlaced("o-1", List.of(line("a", 1)), Status.UNKNOWN,
                List.of(Status.PAID, Status.UNKNOWN), null, null, null);

        List<Violation> violations = VALIDATOR.validate(event);

        assertThat(violations).extracting(Violation::path).containsExactly("previous-statuses[1]", "status");
        assertThat(violations).allSatisfy(v -> assertThat(v.message()).contains("UNKNOWN"));
    }

    @Test
    void locatesContainerElementsAndMapValues() {
        OrderPlaced event = new OrderPlaced("o-1", List.of(line("a", 1)), Status.PAID, null,
                List.of("ok", "far-too-long"), Map.of("USD", new Money(BigDecimal.ONE, "usd")), "not-an-email");

        assertThat(VALIDATOR.validate(event)).extracting(Violation::toString).containsExactly(
                "customer-email: must be a well-formed email address",
                "tags[1]: size must be between 0 and 5",
                "totals[USD].currency: must match \"^[A-Z]{3}$\"");
    }

    @Test
    void nullListElementsAreReportedAtTheirIndex() {
        OrderPlaced event = new OrderPlaced("o-1", java.util.Arrays.asList(line("a", 1), null),
                Status.PAID, null, null, null, null);

        assertThat(VALIDATOR.validate(event)).extracting(Violation::toString)
                .containsExactly("items[1]: must not be null");
    }

    @Test
    void reportsEveryViolationSortedByPath() {
        OrderPlaced event = new OrderPlaced("x", List.of(), Status.UNKNOWN, null, null, null, null);

        List<Violation> violations = VALIDATOR.validate(event);

        assertThat(violations).extracting(Violation::path).containsExactly("items", "order-id", "status");
        assertThat(violations.get(0).message()).startsWith("size must be between 1 and");
        assertThat(VALIDATOR.isValid(event)).isFalse();
    }

    @Test
    void namesFollowTheGivenMappersNamingWhenThereIsNoJsonProperty() {
        record Plain(@Min(2) long itemCount) {
        }
        ObjectMapper snake = new ObjectMapper()
                .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);
        try (EventValidator validator = EventValidator.create(snake)) {
            assertThat(validator.validate(new Plain(1))).extracting(Violation::toString)
                    .containsExactly("item_count: must be greater than or equal to 2");
        }
        assertThat(VALIDATOR.validate(new Plain(1))).extracting(Violation::path).containsExactly("itemCount");
    }

    @Test
    void knownEnumValueAcceptsNullAndKnownConstants() {
        KnownEnumValueValidator validator = new KnownEnumValueValidator();
        assertThat(validator.isValid(null, null)).isTrue();
        assertThat(validator.isValid(Status.PAID, null)).isTrue();
        assertThat(validator.isValid(Status.UNKNOWN, null)).isFalse();
    }
}
