package dev.herald.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.runtime.EventDescriptor;
import dev.herald.runtime.GeneratedEnum;
import dev.herald.runtime.HeraldEvent;
import dev.herald.runtime.ServiceDescriptor;
import dev.herald.runtime.validation.EventValidator;
import dev.herald.runtime.validation.StrictJson;
import dev.herald.runtime.validation.Violation;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fixture's generated code, compiled and run: Jackson binding, defaults, validation, builders, enums. */
class GeneratedCodeBehaviourTest {

    private static Path dir;
    private static URLClassLoader loader;
    private static Class<?> cart;
    private static final ObjectMapper JSON = StrictJson.mapper();
    private static final EventValidator VALIDATOR = EventValidator.create(JSON);

    private static final String EXAMPLE = """
            {"cartId":"9a7b6c5d-4e3f-4a1b-8c2d-1e0f9a8b7c6d",
             "items":[{"sku":"SKU-12345","quantity":2,"price":{"amount":19.99,"currency":"EUR"},"category":"books","gift":true}],
             "total":{"amount":39.98,"currency":"EUR"},
             "placedAt":"2026-11-22T10:10:00Z",
             "nullableNote":null}""";

    @BeforeAll
    static void compile() throws IOException, ClassNotFoundException {
        dir = Files.createTempDirectory("herald-behaviour");
        loader = InProcessCompiler.compile(
                CodeGenerator.generate(Fixtures.fixtureRegistry(), GeneratorOptions.defaults()), dir);
        cart = loader.loadClass("com.example.fixture.CartCheckedOut");
    }

    @AfterAll
    static void close() throws IOException {
        loader.close();
        VALIDATOR.close();
    }

    private static Object read(String json) throws IOException {
        return JSON.readValue(json, cart);
    }

    private static ObjectNode example() throws IOException {
        return (ObjectNode) JSON.readTree(EXAMPLE);
    }

    private static Object get(Object record, String accessor) throws ReflectiveOperationException {
        Method m = record.getClass().getMethod(accessor);
        return m.invoke(record);
    }

    private static List<String> violations(Object event) {
        return VALIDATOR.validate(event).stream().map(Violation::toString).toList();
    }

    @Test
    void anExampleReadsValidatesAndWritesBackWithDefaultsFilledIn() throws Exception {
        Object event = read(EXAMPLE);

        assertThat(event).isInstanceOf(HeraldEvent.class);
        assertThat(violations(event)).isEmpty();
        JsonNode expected = example().put("priority", 5);
        assertThat(JSON.readTree(JSON.writeValueAsString(event))).isEqualTo(expected);
    }

    @Test
    void defaultsApplyToAbsentOptionalValuesIncludingEnumsInNestedRecords() throws Exception {
        ObjectNode json = example();
        json.putObject("shipping").putObject("address").put("line1", "1 Main St").put("postal-code", "12345");
        Object event = read(json.toString());

        Object shipping = get(event, "shipping");
        assertThat(((GeneratedEnum) get(shipping, "method")).wireValue()).isEqualTo("standard");
        assertThat(get(event, "priority")).isEqualTo(5L);
        json.remove("items");
        json.putArray("items").addObject().put("sku", "SKU-1234").put("quantity", 1)
                .putObject("price").put("amount", 1).put("currency", "EUR");
        Object item = ((List<?>) get(read(json.toString()), "items")).get(0);
        assertThat(get(item, "gift")).isEqualTo(false);
    }

    @Test
    void violationsAreReportedWithJsonPaths() throws Exception {
        ObjectNode json = example();
        json.withArray("items").addObject().put("sku", "SKU-999999").put("quantity", 0)
                .putObject("price").put("amount", 1.234).put("currency", "eur");
        json.putObject("shipping").putObject("address").put("line1", "x").put("postal-code", "1");
        json.put("coupon", "abc");

        assertThat(violations(read(json.toString()))).containsExactly(
                "coupon: must match \"[\\s\\S]*[A-Z]{4}[\\s\\S]*\"",
                "items[1].price.amount: numeric value out of bounds (<2147483647 digits>.<2 digits> expected)",
                "items[1].price.currency: must match \"^[A-Z]{3}$\"",
                "items[1].quantity: must be greater than or equal to 1",
                "shipping.address.postal-code: length must be between 2 and 12");
    }

    @Test
    void anUnanchoredPatternMatchesAnywhereLikeJsonSchema() throws Exception {
        assertThat(violations(read(example().put("coupon", "xxABCDyy").toString()))).isEmpty();
        assertThat(violations(read(example().put("coupon", "line1\nABCD").toString()))).isEmpty();
    }

    @Test
    void unknownEnumValuesAreReadButRefused() throws Exception {
        Object event = read(example().put("status", "teleported").toString());

        GeneratedEnum status = (GeneratedEnum) get(event, "status");
        assertThat(status.known()).isFalse();
        assertThat(((Enum<?>) status).name()).isEqualTo("UNKNOWN");
        assertThat(violations(event)).singleElement().asString().startsWith("status: must be one of the values");
        assertThat(((GeneratedEnum) get(read(example().put("status", "checked-out").toString()), "status"))
                .known()).isTrue();
    }

    @Test
    void aliasesReadEarlierPropertyNames() throws Exception {
        ObjectNode json = example();
        json.putObject("legacy_code").put("code", "OLD-1");
        Object legacy = get(read(json.toString()), "legacyCode");
        assertThat(get(legacy, "code")).isEqualTo("OLD-1");
        // @Deprecated cannot target a record component; javac puts it on the accessor and the field
        assertThat(cart.getMethod("legacyCode").isAnnotationPresent(Deprecated.class)).isTrue();
        assertThat(cart.getMethod("note").isAnnotationPresent(Deprecated.class)).isFalse();
    }

    @Test
    void requiredValuesMustBePresentAndStrictObjectsRefuseUnknownProperties() throws Exception {
        ObjectNode noId = example();
        noId.remove("cartId");
        assertThatThrownBy(() -> read(noId.toString())).isInstanceOf(MismatchedInputException.class)
                .hasMessageContaining("cartId");

        ObjectNode noQuantity = example();
        ((ObjectNode) noQuantity.withArray("items").get(0)).remove("quantity");
        assertThatThrownBy(() -> read(noQuantity.toString())).isInstanceOf(MismatchedInputException.class)
                .hasMessageContaining("quantity");

        ObjectNode noNullableNote = example();
        noNullableNote.remove("nullableNote");
        assertThatThrownBy(() -> read(noNullableNote.toString())).isInstanceOf(MismatchedInputException.class);

        ObjectNode extraInShipping = example();
        extraInShipping.putObject("shipping").put("colour", "red").putObject("address").put("line1", "x")
                .put("postal-code", "12");
        assertThatThrownBy(() -> read(extraInShipping.toString())).hasMessageContaining("colour");

        assertThat(violations(read(example().put("unknownTopLevel", 1).toString()))).isEmpty();
    }

    @Test
    void requiredValuesAreCheckedWhenBuiltInJava() throws Exception {
        Method builder = cart.getMethod("builder");
        Object b = builder.invoke(null);
        Object event = b.getClass().getMethod("build").invoke(b);

        assertThat(violations(event)).containsExactly("cartId: must not be null", "items: must not be null",
                "placedAt: must not be null", "total: must not be null");
    }

    @Test
    void aBuilderCopiesARecordAndListsAreUnmodifiable() throws Exception {
        Object event = read(EXAMPLE);
        Object copy = cart.getMethod("toBuilder").invoke(event);
        Object rebuilt = copy.getClass().getMethod("build").invoke(copy);

        assertThat(rebuilt).isEqualTo(event);
        List<?> items = (List<?>) get(event, "items");
        assertThatThrownBy(() -> items.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void eventTypeAndServiceNameDescribeTheRegistry() throws Exception {
        Class<?> eventType = loader.loadClass("com.example.fixture.EventType");
        Object[] events = eventType.getEnumConstants();
        assertThat(events).extracting(e -> ((EventDescriptor) e).wireName())
                .containsExactly("cart.checked-out", "issue.assigned", "member.added", "profile.updated", "repo.forked", "review.requested", "site.checked", "user.pinged");
        EventDescriptor cartType = (EventDescriptor) events[0];
        assertThat(cartType.version()).isEqualTo(2);
        assertThat((Object) cartType.recordClass()).isEqualTo(cart);
        assertThat(cartType.ownerService()).isEqualTo("shop");
        assertThat(cartType.deprecated()).isFalse();
        assertThat(((EventDescriptor) events[7]).deprecated()).isTrue();
        assertThat(eventType.getMethod("fromWireName", String.class).invoke(null, "user.pinged"))
                .isEqualTo(Optional.of(events[7]));
        assertThat(eventType.getMethod("fromRecordClass", Class.class).invoke(null, cart))
                .isEqualTo(Optional.of(events[0]));
        assertThat(((ServiceDescriptor) eventType.getMethod("owner").invoke(events[0])).wireName()).isEqualTo("shop");

        Class<?> serviceName = loader.loadClass("com.example.fixture.ServiceName");
        assertThat(serviceName.getEnumConstants()).extracting(s -> ((ServiceDescriptor) s).wireName())
                .containsExactly("billing", "shop");
    }

    @Test
    void theRuntimeCatalogFindsTheEventOfABranchOfAUnionEvent() throws Exception {
        dev.herald.runtime.Catalog catalog = dev.herald.runtime.Catalog.load(loader);
        Class<?> team = loader.loadClass("com.example.fixture.ReviewRequestedRequestedTeam");
        assertThat(catalog.eventFor(team)).map(dev.herald.runtime.Catalog.EventInfo::name).contains("review.requested");
        assertThat(catalog.eventFor(loader.loadClass("com.example.fixture.ReviewRequested")))
                .map(dev.herald.runtime.Catalog.EventInfo::name).contains("review.requested");
        assertThat(catalog.eventFor(loader.loadClass("com.example.fixture.Actor"))).as("a shared type is no event").isEmpty();
    }

    @Test
    void theCatalogResourceFollowsTheContract() throws Exception {
        JsonNode catalog;
        try (var in = loader.getResourceAsStream("META-INF/herald/catalog.json")) {
            catalog = JSON.readTree(in);
        }
        assertThat(catalog.get("catalogVersion").asInt()).isEqualTo(1);
        assertThat(catalog.get("namespace").asText()).isEqualTo("fixture");
        assertThat(catalog.get("javaPackage").asText()).isEqualTo("com.example.fixture");
        assertThat(catalog.get("services").toString()).isEqualTo("[\"billing\",\"shop\"]");
        JsonNode first = catalog.get("events").get(0);
        assertThat(first.get("name").asText()).isEqualTo("cart.checked-out");
        assertThat(first.get("version").asInt()).isEqualTo(2);
        assertThat(first.get("versions").toString()).isEqualTo("[1,2]");
        assertThat(first.get("owner").asText()).isEqualTo("shop");
        assertThat(first.get("javaClass").asText()).isEqualTo("com.example.fixture.CartCheckedOut");
        assertThat(first.get("schemas").get("2").asText()).isEqualTo("events/cart.checked-out/v2.json");
        assertThat(loader.getResource("META-INF/herald/schemas/events/cart.checked-out/v1.json")).isNotNull();
        assertThat(loader.getResource("META-INF/herald/schemas/types/money.json")).isNotNull();
        assertThat(catalog.get("events").get(7).get("deprecated").asBoolean()).isTrue();
    }
}
