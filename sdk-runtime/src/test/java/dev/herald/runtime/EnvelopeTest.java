package dev.herald.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.runtime.fixtures.WidgetCreated;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeTest {

    @Test
    void writesCloudEventsFieldsInTheDesignOrder() throws Exception {
        String json = Envelope.write("id-1", Envelope.sourceOf("widgets"), "widget.created",
                Envelope.dataschemaOf("widget.created", 2), "2026-11-22T10:00:00Z", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                WidgetCreated.sample(7));
        JsonNode node = Json.mapper().readTree(json);
        List<String> fields = new ArrayList<>();
        node.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("specversion", "id", "source", "type", "dataschema", "time",
                "datacontenttype", "traceparent", "data");
        assertThat(node.get("specversion").asText()).isEqualTo("1.0");
        assertThat(node.get("source").asText()).isEqualTo("herald:service/widgets");
        assertThat(node.get("dataschema").asText()).isEqualTo("herald:widget.created/v2");
        assertThat(node.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(node.at("/data/price/currency").asText()).isEqualTo("EUR");
        assertThat(node.at("/data/parts/0/quantity").asInt()).isEqualTo(1);
    }

    @Test
    void parsesBackWithSourceServiceAndVersion() {
        String json = Envelope.write("id-2", "herald:service/widgets", "widget.created", "herald:widget.created/v2",
                "2026-11-22T10:00:00Z", null, WidgetCreated.sample(1));
        Envelope e = Envelope.parse(json);
        assertThat(e.id()).isEqualTo("id-2");
        assertThat(e.sourceService()).isEqualTo("widgets");
        assertThat(e.version()).isEqualTo(2);
        assertThat(e.traceparent()).isNull();
        assertThat(Envelope.parse(e.toJson())).isEqualTo(e);
    }

    @Test
    void refusesWhatIsNotAnEnvelope() {
        assertThatThrownBy(() -> Envelope.parse("{nope")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> Envelope.parse("[1]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> Envelope.parse("{\"specversion\":\"1.0\",\"id\":\"x\",\"type\":\"a.b\",\"data\":{}}"))
                .hasMessageContaining("source").hasMessageContaining("dataschema");
        assertThatThrownBy(() -> Envelope.parse("{\"specversion\":\"0.3\",\"id\":\"x\",\"source\":\"s\",\"type\":\"a.b\",\"dataschema\":\"d\",\"data\":{}}"))
                .hasMessageContaining("specversion 0.3");
    }

    @Test
    void versionIsMinusOneWhenDataschemaDoesNotNameTheType() {
        Envelope e = new Envelope("1.0", "i", "herald:service/x", "widget.created", "herald:other/v2", null, null, null, null, null);
        assertThat(e.version()).isEqualTo(-1);
        assertThat(new Envelope("1.0", "i", "elsewhere", "t", "d", null, null, null, null, null).sourceService()).isNull();
    }

    @Test
    void traceparentsAreW3cShaped() {
        assertThat(Envelope.newTraceparent()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        assertThat(Envelope.newId()).isNotEqualTo(Envelope.newId());
    }
}
