package dev.herald.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.runtime.fixtures.WidgetCreated;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

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
        // what a send puts on the wire: the same JSON, written as UTF-8 without a String in between
        assertThat(Envelope.writeUtf8("id-1", Envelope.sourceOf("widgets"), "widget.created", Envelope.dataschemaOf("widget.created", 2),
                "2026-11-22T10:00:00Z", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null,
                new WidgetCreated("w-1", "gr\u00fc\u00dfe \ud83d\ude00", new dev.herald.runtime.fixtures.Amount("EUR", 1), List.of())))
                .isEqualTo(Envelope.write("id-1", Envelope.sourceOf("widgets"), "widget.created", Envelope.dataschemaOf("widget.created", 2),
                        "2026-11-22T10:00:00Z", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                        new WidgetCreated("w-1", "gr\u00fc\u00dfe \ud83d\ude00", new dev.herald.runtime.fixtures.Amount("EUR", 1), List.of()))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
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
    void readsTheDataStraightIntoTheRecordAndAgreesWithParse() {
        String json = Envelope.write("id-3", "herald:service/widgets", "widget.created", "herald:widget.created/v2",
                "2026-11-22T10:00:00Z", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "vendor=x", WidgetCreated.sample(4));
        Envelope.Read read = Envelope.read(json, type -> type.equals("widget.created") ? WidgetCreated.class : null);
        assertThat(read.data()).isEqualTo(WidgetCreated.sample(4));
        assertThat(read.envelope()).isEqualTo(Envelope.parse(json));
        assertThat(read.envelope().tracestate()).isEqualTo("vendor=x");
        // the tree is built when asked for, from the data's own text
        assertThat(read.envelope().data()).isEqualTo(Envelope.parse(json).data());
        assertThat(read.envelope().data().toString()).isEqualTo(Json.mapper().valueToTree(WidgetCreated.sample(4)).toString());
        assertThat(Envelope.read(json, type -> null).data()).isNull();
        assertThat(Envelope.read(json, null).envelope().data().at("/price/currency").asText()).isEqualTo("EUR");
    }

    @Test
    void readLeavesToParseWhatItDoesNotTakeForGranted() {
        String head = "\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"herald:service/w\",\"type\":\"widget.created\",\"dataschema\":\"herald:widget.created/v2\"";
        String data = "\"data\":{\"widgetId\":\"w-1\",\"name\":\"n\",\"price\":{\"currency\":\"EUR\",\"cents\":5}}";
        java.util.function.Function<String, Class<?>> widgets = type -> WidgetCreated.class;
        // refused: by read exactly as by parse, same message
        for (String bad : List.of("{nope", "[1]", "{" + head + "}", "{" + head + "," + data + "} trailing",
                "{" + head + ",\"id\":\"again\"," + data + "}",
                "{" + head.replace("\"1.0\"", "\"0.3\"") + "," + data + "}",
                "{" + head.replace("\"x\"", "\"\"") + "," + data + "}",
                "{" + head.replace("\"x\"", "7") + "," + data + "}",
                "{" + head + ",\"data\":{\"widgetId\":\"w-1\",\"widgetId\":\"w-2\"}}",
                "{" + head + ",\"data\":[1]}")) {
            String expected = catchThrowable(() -> Envelope.parse(bad)).getMessage();
            assertThat(expected).as(bad).isNotNull();
            assertThatThrownBy(() -> Envelope.read(bad, widgets)).as(bad).hasMessage(expected);
        }
        // accepted, but not in one pass: the type after the data, data that does not bind
        for (String other : List.of("{" + data + "," + head + "}",
                "{" + head + ",\"data\":{\"widgetId\":7,\"name\":\"n\",\"price\":{\"currency\":\"EUR\",\"cents\":5}}}")) {
            Envelope.Read read = Envelope.read(other, widgets);
            assertThat(read.data()).as(other).isNull();
            assertThat(read.envelope()).as(other).isEqualTo(Envelope.parse(other));
        }
        // an extension attribute is skipped, as parse ignores it
        String extended = "{" + head + ",\"partitionkey\":{\"a\":[1,2]}," + data + "}";
        assertThat(Envelope.read(extended, widgets).data()).isInstanceOf(WidgetCreated.class);
        assertThat(Envelope.read(extended, widgets).envelope()).isEqualTo(Envelope.parse(extended));
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
