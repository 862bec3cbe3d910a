package dev.herald.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.runtime.fixtures.GadgetShipped;
import dev.herald.runtime.fixtures.WidgetCreated;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogTest {

    private final Catalog catalog = Catalog.load(getClass().getClassLoader());

    private static JsonNode json(String s) throws Exception {
        return Json.mapper().readTree(s);
    }

    @Test
    void mapsRecordClassesToEventsAndBack() {
        assertThat(catalog.namespace()).isEqualTo("herald");
        assertThat(catalog.services()).contains("widgets", "gadgets");
        Catalog.EventInfo info = catalog.eventFor(WidgetCreated.class).orElseThrow();
        assertThat(info.name()).isEqualTo("widget.created");
        assertThat(info.version()).isEqualTo(2);
        assertThat(info.versions()).containsExactly(1, 2);
        assertThat(info.owner()).isEqualTo("widgets");
        assertThat(catalog.eventFor(GadgetShipped.class).orElseThrow().owner()).isEqualTo("gadgets");
        assertThat(catalog.recordClass("widget.created")).contains(WidgetCreated.class);
        assertThat(catalog.recordClass("nope.nope")).isEmpty();
        assertThat(catalog.eventFor(String.class)).isEmpty();
        assertThat(catalog.knows("widget.created", 1)).isTrue();
        assertThat(catalog.knows("widget.created", 3)).isFalse();
    }

    @Test
    void validatesDataAgainstTheRealSchemaFollowingRelativeRefs() throws Exception {
        String valid = "{\"widgetId\":\"w-1\",\"name\":\"a\",\"price\":{\"currency\":\"EUR\",\"cents\":5}}";
        assertThat(catalog.validateData("widget.created", 2, json(valid))).isEmpty();

        // the violation is inside the shared type reached through "$ref": "../../types/test-amount.json"
        String badCurrency = "{\"widgetId\":\"w-1\",\"name\":\"a\",\"price\":{\"currency\":\"euro\",\"cents\":5}}";
        assertThat(catalog.validateData("widget.created", 2, json(badCurrency)))
                .containsExactly("price.currency: does not match the regex pattern ^[A-Z]{3}$");

        String badQuantity = "{\"widgetId\":\"w-1\",\"name\":\"a\",\"price\":{\"currency\":\"EUR\",\"cents\":5},"
                + "\"parts\":[{\"sku\":\"a\",\"quantity\":1},{\"sku\":\"b\",\"quantity\":0}]}";
        assertThat(catalog.validateData("widget.created", 2, json(badQuantity)))
                .singleElement().asString().contains("parts[1].quantity");
    }

    @Test
    void olderVersionsValidateWithTheirOwnSchema() throws Exception {
        String v1 = "{\"widgetId\":\"w-1\",\"name\":\"a\"}";
        assertThat(catalog.validateData("widget.created", 1, json(v1))).isEmpty();
        assertThat(catalog.validateData("widget.created", 2, json(v1))).singleElement().asString().contains("price");
    }

    @Test
    void unknownEventsAndVersionsAreErrors() {
        assertThatThrownBy(() -> catalog.validateData("nope.nope", 1, json("{}"))).hasMessageContaining("unknown event type nope.nope");
        assertThatThrownBy(() -> catalog.validateData("widget.created", 9, json("{}"))).hasMessageContaining("unknown version 9");
    }

    @Test
    void aClassLoaderWithoutCatalogSaysWhatToAdd() {
        ClassLoader empty = new ClassLoader(null) {
        };
        assertThatThrownBy(() -> Catalog.load(empty)).hasMessageContaining("no META-INF/herald/catalog.json");
    }

    @Test
    void validationStopsAfterABoundedNumberOfViolations() throws Exception {
        StringBuilder parts = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            parts.append(i == 0 ? "" : ",").append("{\"sku\":\"p\",\"quantity\":0}");
        }
        String data = "{\"widgetId\":\"w-1\",\"name\":\"n\",\"price\":{\"currency\":\"EUR\",\"cents\":5},\"parts\":[" + parts + "]}";
        List<String> violations = catalog.validateData("widget.created", 2, json(data));
        assertThat(violations).hasSize(Catalog.MAX_VIOLATIONS + 1);
        assertThat(violations.get(0)).startsWith("parts[0].quantity");
        assertThat(violations.get(Catalog.MAX_VIOLATIONS)).isEqualTo("(validation stopped after 100 violations)");
    }
}
