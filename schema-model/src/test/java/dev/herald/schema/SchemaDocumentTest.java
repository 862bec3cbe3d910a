package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SchemaDocumentTest {

    private static final String TEXT = """
            {
              "type": "object",
              "properties": {
                "a/b": {"type": "string"},
                "list": {
                  "type": "array",
                  "items": [
                    {"type": "integer"},
                    {"type": "number"}
                  ]
                }
              }
            }
            """;

    private final SchemaDocument doc = SchemaDocument.parse(Path.of("schemas/x.json"), "x.json", TEXT);

    @Test
    void locatesEveryNodeByPointerWithLineAndColumnOfItsKey() {
        assertThat(doc.locate("").line()).isEqualTo(1);
        assertThat(doc.locate("/properties").line()).isEqualTo(3);
        assertThat(doc.locate("/properties").column()).isEqualTo(3);
        assertThat(doc.locate("/properties/a~1b/type").line()).isEqualTo(4);
        assertThat(doc.locate("/properties/list/items/1").line()).isEqualTo(9);
        assertThat(doc.locate("/properties/list/items/1").column()).isEqualTo(9);
        assertThat(doc.at("/properties/a~1b/type").asText()).isEqualTo("string");
    }

    @Test
    void locatesAMissingPointerAtItsNearestAncestorButKeepsThePointer() {
        SourceLocation loc = doc.locate("/properties/list/maxItems");
        assertThat(loc.line()).isEqualTo(5);
        assertThat(loc.pointer()).isEqualTo("/properties/list/maxItems");
        assertThat(loc.toString()).isEqualTo("schemas/x.json:5:5 (#/properties/list/maxItems)");
    }

    @Test
    void keepsNumbersExact() {
        SchemaDocument d = SchemaDocument.parse(Path.of("n.json"), "n.json", "{\"m\": 0.1, \"big\": 123456789012345678901234567890}");
        assertThat(d.root().get("m").decimalValue()).isEqualByComparingTo("0.1");
        assertThat(d.root().get("big").bigIntegerValue().toString()).isEqualTo("123456789012345678901234567890");
    }

    @Test
    void refusesTrailingContentAndEmptyFiles() {
        assertThatThrownBy(() -> SchemaDocument.parse(Path.of("t.json"), "t.json", "{}\n{}"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("t.json:2:1: error: unexpected content after the end");
        assertThatThrownBy(() -> SchemaDocument.parse(Path.of("e.json"), "e.json", "  "))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("the file is empty");
    }
}
