package dev.herald.schema;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventPatternTest {

    @Test
    void matchesExactNamesSegmentsAndTails() {
        assertThat(EventPattern.matches("order.created", "order.created")).isTrue();
        assertThat(EventPattern.matches("order.created", "order.cancelled")).isFalse();
        assertThat(EventPattern.matches("order.*", "order.created")).isTrue();
        assertThat(EventPattern.matches("order.*", "payment.created")).isFalse();
        assertThat(EventPattern.matches("order.*", "order.item.added")).isFalse();
        assertThat(EventPattern.matches("*.created", "order.created")).isTrue();
        assertThat(EventPattern.matches("order.**", "order.item.added")).isTrue();
        assertThat(EventPattern.matches("**", "anything.at.all")).isTrue();
    }

    @Test
    void refusesMalformedPatterns() {
        assertThatThrownBy(() -> EventPattern.check("order.$")).hasMessageContaining("segment '$'");
        assertThatThrownBy(() -> EventPattern.check("")).hasMessageContaining("empty");
    }
}
