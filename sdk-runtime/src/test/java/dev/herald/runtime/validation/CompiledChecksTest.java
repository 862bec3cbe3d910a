package dev.herald.runtime.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.runtime.GeneratedEnum;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Null;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.validator.constraints.UniqueElements;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The compiled checks against Hibernate Validator on records using every constraint the generator
 * writes, each at and beyond its bounds: they must pass every record Hibernate passes (or the fast
 * path is never taken) and no record Hibernate refuses (or a bad event goes through).
 */
class CompiledChecksTest {

    private static final EventValidator VALIDATOR = EventValidator.create();

    @AfterAll
    static void close() {
        VALIDATOR.close();
    }

    enum Level implements GeneratedEnum {
        LOW, UNKNOWN;

        @Override
        public String wireValue() {
            return name().toLowerCase();
        }

        @Override
        public boolean known() {
            return this != UNKNOWN;
        }
    }

    record Line(@NotNull @Size(min = 2, max = 4) String sku, @Min(1) @Max(10) Long quantity) {
    }

    sealed interface Payment permits Card, Cash {
    }

    record Card(@NotNull @Pattern(regexp = "[0-9]{4}") String last4) implements Payment {
    }

    record Cash(@DecimalMin(value = "0", inclusive = false) BigDecimal amount) implements Payment {
    }

    record Order(
            @NotNull @Size(min = 1, max = 3) List<@NotNull @Valid Line> lines,
            @DecimalMin("0.5") @DecimalMax(value = "100", inclusive = false) @Digits(integer = Integer.MAX_VALUE, fraction = 2) BigDecimal total,
            @Min(-5) Long offset,
            @Pattern(regexp = "^[A-Z]+$", flags = Pattern.Flag.CASE_INSENSITIVE) String code,
            @CodePointLength(min = 1, max = 2) String emoji,
            @SchemaFormat("date") String day,
            @KnownEnumValue Level level,
            @AssertTrue Boolean accepted,
            @Null Object never,
            @UniqueElements List<@Size(max = 3) String> tags,
            Map<String, @Valid Line> byName,
            @Valid Payment payment,
            @Digits(integer = 2, fraction = 0) Long small) {
    }

    private static OrderBuilder order() {
        return new OrderBuilder();
    }

    @Test
    void passesExactlyWhatHibernatePasses() {
        assertThat(VALIDATOR.compiled().compiles(Order.class)).isTrue();
        List<Order> valid = List.of(
                order().build(),
                order().lines(List.of(new Line("ab", 1L), new Line("abcd", 10L), new Line("abc", null))).build(),
                order().total(new BigDecimal("0.5")).build(),
                order().total(new BigDecimal("99.99")).build(),
                order().offset(-5L).build(),
                order().code("abc").build(),
                order().emoji("\uD83D\uDE00\uD83D\uDE00").build(), // two code points, four UTF-16 units
                order().day("2026-12-03").build(),
                order().level(Level.LOW).build(),
                order().accepted(true).build(),
                order().tags(List.of("a", "bcd")).build(),
                order().byName(Map.of("x", new Line("xy", 2L))).build(),
                order().payment(new Card("1234")).build(),
                order().payment(new Cash(new BigDecimal("0.01"))).build(),
                order().small(99L).build(),
                order().small(-99L).build());
        List<Order> invalid = List.of(
                order().lines(List.of()).build(),
                order().lines(List.of(new Line("a", 1L))).build(),
                order().lines(List.of(new Line("abcde", 1L))).build(),
                order().lines(List.of(new Line("ab", 0L))).build(),
                order().lines(List.of(new Line("ab", 11L))).build(),
                order().lines(List.of(new Line(null, 1L))).build(),
                order().lines(Arrays.asList(new Line("ab", 1L), null)).build(),
                order().lines(List.of(new Line("ab", 1L), new Line("ab", 1L), new Line("ab", 1L), new Line("ab", 1L))).build(),
                order().total(new BigDecimal("0.49")).build(),
                order().total(new BigDecimal("100")).build(),
                order().total(new BigDecimal("1.001")).build(),
                order().total(new BigDecimal("1.500")).build(), // Hibernate counts a BigDecimal's scale as written
                order().offset(-6L).build(),
                order().code("ab1").build(),
                order().emoji("").build(),
                order().emoji("abc").build(),
                order().day("2026-13-03").build(),
                order().level(Level.UNKNOWN).build(),
                order().accepted(false).build(),
                order().never("x").build(),
                order().tags(List.of("a", "a")).build(),
                order().tags(List.of("abcd")).build(),
                order().byName(Map.of("x", new Line("x", 2L))).build(),
                order().payment(new Card("12345")).build(),
                order().payment(new Cash(BigDecimal.ZERO)).build(),
                order().small(100L).build(),
                order().small(-100L).build());
        for (Order o : valid) {
            assertThat(VALIDATOR.byHibernate(o)).as("Hibernate on %s", o).isEmpty();
            assertThat(VALIDATOR.compiled().passes(o)).as("compiled checks on %s", o).isTrue();
        }
        for (Order o : invalid) {
            assertThat(VALIDATOR.byHibernate(o)).as("Hibernate on %s", o).isNotEmpty();
            assertThat(VALIDATOR.compiled().passes(o)).as("compiled checks on %s", o).isFalse();
            assertThat(VALIDATOR.validate(o)).as("the verdict and its words are Hibernate's").isEqualTo(VALIDATOR.byHibernate(o));
        }
    }

    record Contact(@Email String email) {
    }

    @Test
    void aConstraintOutsideTheGeneratorsVocabularyIsLeftToHibernate() {
        assertThat(VALIDATOR.compiled().compiles(Contact.class)).isFalse();
        assertThat(VALIDATOR.compiled().passes(new Contact("a@example.com"))).isFalse();
        assertThat(VALIDATOR.validate(new Contact("a@example.com"))).isEmpty();
        assertThat(VALIDATOR.validate(new Contact("not an address"))).extracting(Violation::toString)
                .containsExactly("email: must be a well-formed email address");
    }

    record Holder(@Valid Object inside) {
    }

    @Test
    void aCascadeIntoAClassItCannotCompileIsLeftToHibernate() {
        assertThat(VALIDATOR.compiled().passes(new Holder(new Contact("a@example.com")))).isFalse();
        assertThat(VALIDATOR.validate(new Holder(new Contact("nope")))).extracting(Violation::toString)
                .containsExactly("inside.email: must be a well-formed email address");
        assertThat(VALIDATOR.compiled().passes(new Holder("a plain string"))).isTrue();
    }

    @Test
    void manyRecordsThroughOneValidatorKeepTheirOwnVerdicts() {
        Map<Order, Boolean> expected = new LinkedHashMap<>();
        for (long q = -2; q <= 12; q++) {
            expected.put(order().lines(List.of(new Line("ab", q))).build(), q >= 1 && q <= 10);
        }
        expected.forEach((o, ok) -> assertThat(VALIDATOR.validate(o).isEmpty()).as("%s", o).isEqualTo(ok));
    }

    /** Test data: each case names just the property it is about. */
    static final class OrderBuilder {
        private List<Line> lines = List.of(new Line("ab", 1L));
        private BigDecimal total;
        private Long offset;
        private String code;
        private String emoji;
        private String day;
        private Level level;
        private Boolean accepted;
        private Object never;
        private List<String> tags;
        private Map<String, Line> byName;
        private Payment payment;
        private Long small;

        OrderBuilder lines(List<Line> v) { lines = v; return this; }
        OrderBuilder total(BigDecimal v) { total = v; return this; }
        OrderBuilder offset(Long v) { offset = v; return this; }
        OrderBuilder code(String v) { code = v; return this; }
        OrderBuilder emoji(String v) { emoji = v; return this; }
        OrderBuilder day(String v) { day = v; return this; }
        OrderBuilder level(Level v) { level = v; return this; }
        OrderBuilder accepted(Boolean v) { accepted = v; return this; }
        OrderBuilder never(Object v) { never = v; return this; }
        OrderBuilder tags(List<String> v) { tags = v; return this; }
        OrderBuilder byName(Map<String, Line> v) { byName = v; return this; }
        OrderBuilder payment(Payment v) { payment = v; return this; }
        OrderBuilder small(Long v) { small = v; return this; }

        Order build() {
            return new Order(lines, total, offset, code, emoji, day, level, accepted, never, tags, byName, payment, small);
        }
    }
}
