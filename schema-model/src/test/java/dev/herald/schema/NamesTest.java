package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamesTest {

    @ParameterizedTest
    @CsvSource({
            "order.created, OrderCreated, ORDER_CREATED",
            "order.status-changed, OrderStatusChanged, ORDER_STATUS_CHANGED",
            "product.stock-changed, ProductStockChanged, PRODUCT_STOCK_CHANGED",
            "b2b.order.created, B2bOrderCreated, B2B_ORDER_CREATED"})
    void mapsEventNamesToJavaNames(String event, String type, String constant) {
        assertThat(Names.isValidEventName(event)).isTrue();
        assertThat(Names.javaTypeName(event)).isEqualTo(type);
        assertThat(Names.constantName(event)).isEqualTo(constant);
    }

    @ParameterizedTest
    @CsvSource({"orderCreated", "order", "Order.Created", "order..created", "order.created.", "order._created", "1order.created"})
    void refusesEventNamesThatAreNotDomainAction(String name) {
        assertThat(Names.isValidEventName(name)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "first-name, firstName",
            "first_name, firstName",
            "orderId, orderId",
            "class, class_",
            "record, record_",
            "'+1', plus1",
            "'-1', minus1",
            "'-', t"})
    void mapsPropertyNamesToJavaIdentifiers(String json, String java) {
        assertThat(Names.javaIdentifier(json)).isEqualTo(java);
    }

    @Test
    void mapsEnumValuesToConstants() {
        assertThat(Names.constantName("bank-transfer")).isEqualTo("BANK_TRANSFER");
        assertThat(Names.constantName("inProgress")).isEqualTo("IN_PROGRESS");
        assertThat(Names.constantName("2fa")).isEqualTo("V2FA");
        assertThat(Names.constantName("+1")).isEqualTo("PLUS_1");
        assertThat(Names.constantName("-1")).isEqualTo("MINUS_1");
    }
}
