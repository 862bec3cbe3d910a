package dev.herald.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryLoaderTest {

    @TempDir
    Path tmp;

    @Test
    void loadsAndLinksAValidRegistry() {
        RegistryFixture fixture = new RegistryFixture(tmp)
                .write("events/order.created/v2.json", RegistryFixture.ORDER_CREATED_V1.replace("An order", "A new order"))
                .write("events/email.sent/v1.json", """
                        {"x-owner": "email", "type": "object", "properties": {"to": {"type": "string", "format": "email"}}}
                        """);

        Registry registry = RegistryLoader.load(fixture.root);

        assertThat(registry.namespace()).isEqualTo("shop");
        assertThat(registry.javaPackage()).isEqualTo("com.example.events");
        assertThat(registry.services()).extracting(ServiceDef::name).containsExactly("email", "order");
        assertThat(registry.events()).extracting(EventDef::name).containsExactly("email.sent", "order.created");
        EventDef order = registry.event("order.created").orElseThrow();
        assertThat(order.versions()).extracting(EventVersion::version).containsExactly(1, 2);
        assertThat(order.latest().version()).isEqualTo(2);
        assertThat(order.owner()).isEqualTo("order");
        assertThat(order.description()).isEqualTo("A new order was placed.");
        assertThat(order.javaName()).isEqualTo("OrderCreated");
        assertThat(order.latest().dataschema()).isEqualTo("herald:order.created/v2");
        assertThat(registry.types()).extracting(TypeDef::name).containsExactly("money");
        assertThat(registry.documents()).containsOnlyKeys(
                "types/money.json", "events/order.created/v1.json", "events/order.created/v2.json", "events/email.sent/v1.json");
    }

    @Test
    void resolvesReferencesAcrossFilesAndWithinAFile() {
        Registry registry = RegistryLoader.load(new RegistryFixture(tmp).root);
        SchemaDocument v1 = registry.event("order.created").orElseThrow().latest().document();

        ResolvedRef money = registry.resolve(v1, "../../types/money.json");
        assertThat(money.document().relativePath()).isEqualTo("types/money.json");
        assertThat(money.pointer()).isEmpty();
        assertThat(money.node().get("required").size()).isEqualTo(2);

        ResolvedRef currency = registry.resolve(v1, "../../types/money.json#/properties/currency");
        assertThat(currency.node().get("pattern").asText()).isEqualTo("^[A-Z]{3}$");
        assertThat(currency.location().line()).isEqualTo(6);

        ResolvedRef local = registry.resolve(v1, "#/properties/orderId");
        assertThat(local.document()).isSameAs(v1);
        assertThat(local.node().get("format").asText()).isEqualTo("uuid");
    }

    @Test
    void reportsInvalidJsonWithLineAndColumn() {
        RegistryException e = new RegistryFixture(tmp)
                .write("events/order.created/v1.json", "{\n  \"type\": \"object\",\n  \"properties\": {\n    \"a\": {\"type\": \"string\"}\n    \"b\": {}\n  }\n}\n")
                .loadFails();

        assertThat(e.problems()).hasSize(1);
        Problem p = e.problems().get(0);
        assertThat(p.location().file().toString()).endsWith("events/order.created/v1.json");
        assertThat(p.location().line()).isEqualTo(5);
        assertThat(p.message()).startsWith("invalid JSON");
        assertThat(p.format()).contains("v1.json:5:").contains("Fix:");
    }

    @Test
    void reportsDuplicateKeys() {
        RegistryException e = new RegistryFixture(tmp)
                .write("types/money.json", "{\"type\": \"object\",\n \"type\": \"string\"}")
                .loadFails();

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.message()).contains("Duplicate field 'type'");
            assertThat(p.location().line()).isEqualTo(2);
        });
    }

    @Test
    void filesCheckedBeforeSkipTheMetaSchemaAndExamplesButNotTheRest() {
        RegistryFixture fixture = new RegistryFixture(tmp)
                .write("events/order.created/v1.json", """
                        {
                          "x-owner": "order",
                          "type": "object",
                          "properties": {"note": {"type": "string", "maxLength": -3}},
                          "examples": [{"note": 5}]
                        }
                        """);
        // untrusted: both the meta-schema and the example are reported
        assertThat(fixture.loadFails().problems()).extracting(Problem::message)
                .anyMatch(m -> m.startsWith("not a valid JSON Schema"));
        // trusted (the baseline holds it byte for byte): loaded as published
        Registry trusted = RegistryLoader.load(fixture.root, doc -> true);
        assertThat(trusted.events()).hasSize(1);
        // a shared type that is not trusted makes every example count again (it may have changed what they must match)
        assertThat(RegistryLoader.loadWithProblems(fixture.root).problems()).isNotEmpty();
        assertThatThrownBy(() -> RegistryLoader.load(fixture.root, doc -> doc.relativePath().startsWith("events/")))
                .isInstanceOf(RegistryException.class).hasMessageContaining("example 0 does not match");
        // names and $refs are still checked in a trusted file
        fixture.write("events/order.created/v1.json", "{\"x-owner\": \"order\", \"type\": \"object\", \"properties\": {\"a\": {\"$ref\": \"../../types/missing.json\"}}}\n");
        assertThatThrownBy(() -> RegistryLoader.load(fixture.root, doc -> true)).isInstanceOf(RegistryException.class)
                .hasMessageContaining("missing.json");
    }

    @Test
    void reportsASchemaThatIsNotDraft202012WithThePointerAndLine() {
        RegistryException e = new RegistryFixture(tmp)
                .write("events/order.created/v1.json", """
                        {
                          "x-owner": "order",
                          "type": "object",
                          "properties": {
                            "orderId": {"type": "strin"},
                            "note": {"type": "string", "maxLength": -3}
                          }
                        }
                        """)
                .loadFails();

        assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(e.problems()).anySatisfy(p -> {
            assertThat(p.location().pointer()).isEqualTo("/properties/orderId/type");
            assertThat(p.location().line()).isEqualTo(5);
            assertThat(p.message()).startsWith("not a valid JSON Schema (draft 2020-12)");
        });
        assertThat(e.problems()).anySatisfy(p -> {
            assertThat(p.location().pointer()).isEqualTo("/properties/note/maxLength");
            assertThat(p.location().line()).isEqualTo(6);
        });
    }

    @Test
    void refusesAnotherDraft() {
        RegistryException e = new RegistryFixture(tmp)
                .write("types/money.json", "{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"type\": \"object\"}")
                .loadFails();

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.location().pointer()).isEqualTo("/$schema");
            assertThat(p.message()).contains("draft 2020-12 only");
        });
    }

    @Test
    void reportsAReferenceThatDoesNotResolveAtTheRefItself() {
        RegistryException e = new RegistryFixture(tmp)
                .write("events/order.created/v1.json", """
                        {
                          "x-owner": "order",
                          "type": "object",
                          "properties": {
                            "total": {"$ref": "../../types/mony.json"},
                            "lines": {"type": "array", "items": {"$ref": "#/$defs/line"}}
                          }
                        }
                        """)
                .loadFails();

        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems().get(0).location().pointer()).isEqualTo("/properties/total/$ref");
        assertThat(e.problems().get(0).location().line()).isEqualTo(5);
        assertThat(e.problems().get(0).message()).contains("no schema file types/mony.json");
        assertThat(e.problems().get(1).location().pointer()).isEqualTo("/properties/lines/items/$ref");
        assertThat(e.problems().get(1).message()).contains("nothing at #/$defs/line");
    }

    @Test
    void refusesAGapInVersions() {
        RegistryException e = new RegistryFixture(tmp)
                .write("events/order.created/v3.json", RegistryFixture.ORDER_CREATED_V1)
                .loadFails();

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.location().file().toString()).endsWith("v3.json");
            assertThat(p.message()).contains("jumps from v1 to v3").contains("v2 is missing");
            assertThat(p.fix()).contains("rename v3.json to v2.json");
        });
    }

    @Test
    void refusesBadEventAndServiceNamesAndStrayFiles() {
        RegistryException e = new RegistryFixture(tmp)
                .write("registry.json", RegistryFixture.REGISTRY.replace("\"email\"", "\"Email_Service\""))
                .write("events/OrderShipped/v1.json", RegistryFixture.ORDER_CREATED_V1)
                .write("events/order.created/latest.json", "{}")
                .loadFails();

        assertThat(e.problems()).extracting(Problem::message).containsExactlyInAnyOrder(
                "service name \"Email_Service\" is not a lower-case name",
                "event name \"OrderShipped\" is not of the form domain.action",
                "an event folder holds only version files v1.json, v2.json, ...");
    }

    @Test
    void refusesAnOwnerThatIsNotAServiceAndAMissingOwner() {
        RegistryException e = new RegistryFixture(tmp)
                .write("events/order.created/v1.json", RegistryFixture.ORDER_CREATED_V1.replace("\"x-owner\": \"order\"", "\"x-owner\": \"billing\""))
                .write("events/email.sent/v1.json", "{\"type\": \"object\"}")
                .loadFails();

        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems()).anySatisfy(p -> {
            assertThat(p.message()).isEqualTo("x-owner \"billing\" is not a service of registry.json");
            assertThat(p.location().pointer()).isEqualTo("/x-owner");
            assertThat(p.location().line()).isEqualTo(4);
            assertThat(p.fix()).contains("email, order");
        });
        assertThat(e.problems()).anySatisfy(p -> assertThat(p.message()).isEqualTo("event email.sent v1 has no x-owner"));
    }

    @Test
    void refusesIdsAndMalformedHeraldKeywords() {
        RegistryException e = new RegistryFixture(tmp)
                .write("events/order.created/v1.json", """
                        {
                          "$id": "https://example.com/order.json",
                          "x-owner": "order",
                          "type": "object",
                          "x-reserved": "oldName",
                          "properties": {"orderId": {"type": "string", "x-aliases": ["order_id", 7]}}
                        }
                        """)
                .loadFails();

        assertThat(e.problems()).extracting(p -> p.location().pointer())
                .containsExactlyInAnyOrder("/$id", "/x-reserved", "/properties/orderId/x-aliases");
    }

    @Test
    void collectsEveryProblemInOneRun() {
        RegistryException e = new RegistryFixture(tmp)
                .write("types/money.json", "{ not json")
                .write("events/order.created/v2.json", RegistryFixture.ORDER_CREATED_V1.replace("\"order\"", "\"nobody\""))
                .write("events/order.created/v4.json", RegistryFixture.ORDER_CREATED_V1)
                .loadFails();

        assertThat(e.problems()).extracting(Problem::message).hasSize(3).anySatisfy(m -> assertThat(m).startsWith("invalid JSON"))
                .contains("x-owner \"nobody\" is not a service of registry.json", "event order.created jumps from v2 to v4: v3 is missing");
        assertThat(e.getMessage()).startsWith("The schema registry has " + e.problems().size() + " problems:");
        assertThat(e.getMessage().lines().skip(1)).allSatisfy(line -> assertThat(line).matches(".+\\.json:\\d+:\\d+: error: .+Fix: .+"));
    }

    @Test
    void explainsAMissingRegistry() {
        RegistryException e = new RegistryFixture(tmp).write("registry.json", "{}").loadFails();
        assertThat(e.problems()).extracting(Problem::message)
                .containsExactlyInAnyOrder("registry.json has no javaPackage", "registry.json declares no services",
                        "x-owner \"order\" is not a service of registry.json");

        RegistryFixture other = new RegistryFixture(tmp.resolve("other"));
        java.nio.file.Path registryFile = other.root.resolve("registry.json");
        registryFile.toFile().delete();
        RegistryException none = other.loadFails();
        assertThat(none.problems()).singleElement().satisfies(p -> assertThat(p.message()).isEqualTo("the registry has no registry.json"));
    }

    @Test
    void checksExamplesAgainstTheirSchemaThroughReferencesWithFormats() {
        RegistryException e = new RegistryFixture(tmp)
                .write("events/order.created/v1.json", """
                        {
                          "x-owner": "order",
                          "type": "object",
                          "required": ["orderId"],
                          "properties": {
                            "orderId": {"type": "string", "format": "uuid"},
                            "total": {"$ref": "../../types/money.json"}
                          },
                          "examples": [
                            {"orderId": "9a7b6c5d-4e3f-4a1b-8c2d-1e0f9a8b7c6d", "total": {"amount": 1.5, "currency": "EUR"}},
                            {"orderId": "not-a-uuid",
                             "total": {"amount": -1, "currency": "EUR"}}
                          ]
                        }
                        """)
                .loadFails();

        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems()).anySatisfy(p -> {
            assertThat(p.location().pointer()).isEqualTo("/examples/1/orderId");
            assertThat(p.location().line()).isEqualTo(11);
            assertThat(p.message()).startsWith("example 1 does not match the schema");
        });
        assertThat(e.problems()).anySatisfy(p -> {
            assertThat(p.location().pointer()).isEqualTo("/examples/1/total/amount");
            assertThat(p.location().line()).isEqualTo(12);
        });
    }
}
