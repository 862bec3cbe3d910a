package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The repository's own registry, schemas/, loads cleanly and has what the SDK and the bus rely on. */
class ShopRegistryTest {

    @Test
    void theShopRegistryLoads() {
        Registry registry = RegistryLoader.load(Path.of("..", "schemas"));

        assertThat(registry.javaPackage()).isEqualTo("dev.herald.sdk");
        assertThat(registry.services()).extracting(ServiceDef::name)
                .containsExactly("account", "config", "email", "notification", "order", "payment", "product");
        assertThat(registry.events()).extracting(EventDef::name).contains(
                "account.registered", "config.changed", "order.created", "order.status-changed", "order.success",
                "payment.completed", "payment.failed", "product.stock-changed");
        assertThat(registry.event("order.created").orElseThrow().versions()).hasSize(2);
        assertThat(registry.types()).extracting(TypeDef::name).contains("address", "money");
        assertThat(registry.events()).allSatisfy(e -> {
            assertThat(e.description()).isNotBlank();
            assertThat(e.latest().document().root().get("examples")).isNotEmpty();
        });
    }
}
