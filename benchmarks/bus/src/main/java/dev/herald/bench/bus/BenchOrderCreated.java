package dev.herald.bench.bus;

import dev.herald.runtime.HeraldEvent;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.math.BigDecimal;
import java.util.List;

/**
 * The peer benchmark's order event, as a generated record would look (constraints included, so
 * send-side validation costs what it would in a service). {@code sentAtNanos} is
 * {@link System#nanoTime()} at send: every role runs in one JVM, so it measures latency.
 */
public record BenchOrderCreated(@NotNull @Pattern(regexp = "ord_[0-9]+") String orderId,
                                @NotNull String customerId,
                                @NotNull @Pattern(regexp = "[A-Z]{3}") String currency,
                                @NotNull BigDecimal total,
                                @NotNull @Size(min = 1) @Valid List<@Valid Item> items,
                                @NotNull String shipTo,
                                long seq,
                                long sentAtNanos) implements HeraldEvent {

    public record Item(@NotNull String sku, @Min(1) int qty, @NotNull BigDecimal price) {
    }

    private static final BigDecimal TOTAL = new BigDecimal("129.9");
    private static final List<Item> ITEMS = List.of(new Item("SKU-12345", 2, new BigDecimal("39.95")),
            new Item("SKU-67890", 1, new BigDecimal("50.0")));

    public static BenchOrderCreated make(long i) {
        return new BenchOrderCreated("ord_" + (100000 + i), "cus_" + ((i * 7919) % 100000), "EUR", TOTAL, ITEMS, "DE-10115",
                i, System.nanoTime());
    }
}
