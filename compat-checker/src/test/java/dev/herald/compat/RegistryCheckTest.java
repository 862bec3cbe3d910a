package dev.herald.compat;

import static dev.herald.compat.TestRegistry.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.schema.Registry;
import dev.herald.schema.RegistryLoader;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryCheckTest {

    static final String ID = "\"orderId\": {\"type\": \"string\", \"format\": \"uuid\"}";
    static final String NOTE = "\"note\": {\"type\": \"string\", \"maxLength\": 100}";
    static final String MONEY_INLINE = "\"total\": {\"type\": \"object\", \"title\": \"Money\", \"required\": [\"amount\"], \"properties\": {\"amount\": {\"type\": \"number\"}}}";
    static final String MONEY_REF = "\"total\": {\"$ref\": \"../../types/money.json\"}";
    static final String MONEY_TYPE = "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"title\": \"Money\", \"type\": \"object\", \"required\": [\"amount\"], \"properties\": {\"amount\": {\"type\": \"number\"}}}\n";

    @TempDir
    Path tmp;

    static Report check(Path dir, Config config, Path baseline) {
        Registry current = RegistryLoader.load(dir);
        CompatChecker.Baseline b = baseline == null ? null
                : new CompatChecker.Baseline(RegistryLoader.load(baseline), baseline.toString(), baseline + "/");
        return new CompatChecker(config, LocalDate.of(2026, 11, 22)).check(current, b);
    }

    static List<String> rules(Report r) {
        return r.findings().stream().map(f -> f.severity().id() + " " + f.rule()).toList();
    }

    @Test
    void movingADefinitionIntoTypesIsNoChange() {
        TestRegistry reg = new TestRegistry(tmp.resolve("schemas"))
                .write("types/money.json", MONEY_TYPE)
                .write("events/order.created/v1.json", event("order", "\"orderId\"", ID, MONEY_INLINE))
                .write("events/order.created/v2.json", event("order", "\"orderId\"", ID, MONEY_REF));
        Report r = check(reg.root(), Config.defaults(), null);
        assertThat(r.findings()).isEmpty();
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void equalJsonWithAReferenceInsideItsOwnDocumentIsComparedThroughTheReference() {
        // the property's JSON is the same in v1 and v2, but "#/$defs/Note" is a string in one and an integer in the other
        String base = event("order", "\"orderId\"", ID, "\"note\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/$defs/Note\"}}");
        String v1 = base.substring(0, base.lastIndexOf('}')) + ", \"$defs\": {\"Note\": {\"type\": \"string\"}}}\n";
        TestRegistry reg = new TestRegistry(tmp.resolve("schemas"))
                .write("events/order.created/v1.json", v1)
                .write("events/order.created/v2.json", v1.replace("{\"Note\": {\"type\": \"string\"}}", "{\"Note\": {\"type\": \"integer\"}}"));
        assertThat(rules(check(reg.root(), Config.defaults(), null))).containsExactly("error TYPE_CHANGED");
    }

    @Test
    void eventsUnchangedSinceTheBaselineAreNotComparedAgainAndTouchedOnesAre() {
        // the baseline already holds a break inside account.registered; the change touches order.created only
        String accountV1 = event("account", "\"accountId\"", "\"accountId\": {\"type\": \"string\"}");
        String accountV2 = event("account", "\"accountId\"", "\"accountId\": {\"type\": \"integer\"}");
        String orderV1 = event("order", "\"orderId\"", ID, NOTE);
        TestRegistry base = new TestRegistry(tmp.resolve("base"))
                .write("events/account.registered/v1.json", accountV1).write("events/account.registered/v2.json", accountV2)
                .write("events/order.created/v1.json", orderV1);
        TestRegistry now = new TestRegistry(tmp.resolve("now"))
                .write("events/account.registered/v1.json", accountV1).write("events/account.registered/v2.json", accountV2)
                .write("events/order.created/v1.json", orderV1).write("events/order.created/v2.json", event("order", "\"orderId\"", ID));
        Report r = check(now.root(), Config.defaults(), base.root());
        assertThat(rules(r)).containsExactly("error PROPERTY_REMOVED");
        assertThat(r.unchanged()).isEqualTo(1);
        assertThat(r.summary()).contains("2 events, 4 versions, 1 event unchanged since the baseline and not compared again");
        // without a baseline every event is compared
        assertThat(rules(check(now.root(), Config.defaults(), null))).containsExactlyInAnyOrder("error TYPE_CHANGED", "error PROPERTY_REMOVED");
        // an edited published file is no longer "unchanged"
        now.write("events/account.registered/v1.json", accountV1.replace("\"string\"}", "\"string\", \"description\": \"d\"}"));
        assertThat(rules(check(now.root(), Config.defaults(), base.root())))
                .containsExactlyInAnyOrder("error TYPE_CHANGED", "error PROPERTY_REMOVED", "error PUBLISHED_VERSION_MODIFIED");
        now.write("events/account.registered/v1.json", accountV1);
        // another compat.json (mode, policy, exceptions) compares everything again
        now.write("compat.json", "{\n  \"mode\": \"FULL_TRANSITIVE\"\n}\n");
        Report again = check(now.root(), Config.defaults(), base.root());
        assertThat(rules(again)).containsExactlyInAnyOrder("error TYPE_CHANGED", "error PROPERTY_REMOVED");
        assertThat(again.unchanged()).isZero();
    }

    @Test
    void reportsEveryFindingOfEveryEventWithFileLineAndColumn() {
        TestRegistry reg = new TestRegistry(tmp.resolve("schemas"))
                .write("events/order.created/v1.json", event("order", "\"orderId\"", ID, NOTE))
                .write("events/order.created/v2.json", event("order", "\"orderId\"", ID))
                .write("events/order.created/v3.json", event("order", "\"orderId\", \"note\"", ID, "\"note\": {\"type\": \"string\", \"maxLength\": 50}"))
                .write("events/account.registered/v1.json", event("account", "\"accountId\"", "\"accountId\": {\"type\": \"string\"}"))
                .write("events/account.registered/v2.json", event("account", "\"accountId\"", "\"accountId\": {\"type\": \"integer\"}"));
        Report r = check(reg.root(), Config.defaults(), null);
        assertThat(rules(r)).containsExactlyInAnyOrder(
                "error TYPE_CHANGED",                 // account.registered v2
                "error PROPERTY_REMOVED",             // order.created v2 against v1
                "error REQUIRED_ADDED",               // v3 against v2 (note comes back required)
                "error MAX_LENGTH_DECREASED");        // v3 against v1, introduced by v3
        Finding removed = r.findings().stream().filter(f -> f.rule() == Rule.PROPERTY_REMOVED).findFirst().orElseThrow();
        assertThat(removed.format()).startsWith(reg.root() + "/events/order.created/v2.json:7:3: ")
                .contains("error [PROPERTY_REMOVED] order.created v2 against v1 at /properties/note: property 'note' was removed")
                .contains("old: {\"type\":\"string\",\"maxLength\":100} at " + reg.root() + "/events/order.created/v1.json:9:5")
                .contains("Fix: ");
        Finding max = r.findings().stream().filter(f -> f.rule() == Rule.MAX_LENGTH_DECREASED).findFirst().orElseThrow();
        assertThat(max.subject()).isEqualTo("order.created v3 against v1");
        assertThat(max.location().line()).isEqualTo(9);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.summary()).startsWith("FAILED: 4 errors, 0 warnings (2 events, 5 versions; mode FULL_TRANSITIVE, policy robust)");
    }

    @Test
    void transitiveModeCatchesWhatOnlyAnOlderVersionBreaks() {
        TestRegistry reg = new TestRegistry(tmp.resolve("schemas"))
                .write("events/order.created/v1.json", event("order", "\"orderId\"", ID, "\"count\": {\"type\": \"integer\"}"))
                .write("events/order.created/v2.json", event("order", "\"orderId\"", ID))
                .write("events/order.created/v3.json", event("order", "\"orderId\"", ID, "\"count\": {\"type\": \"string\"}"));
        assertThat(rules(check(reg.root(), Config.defaults().withMode(Mode.BACKWARD), null))).isEmpty();
        Report transitive = check(reg.root(), Config.defaults().withMode(Mode.BACKWARD_TRANSITIVE), null);
        assertThat(rules(transitive)).containsExactly("error TYPE_CHANGED");
        assertThat(transitive.findings().get(0).subject()).isEqualTo("order.created v3 against v1");
    }

    @Test
    void modeNoneStillGuardsThePublishedFiles(@TempDir Path base) {
        TestRegistry baseline = new TestRegistry(base.resolve("schemas"))
                .write("events/order.created/v1.json", event("order", "\"orderId\"", ID, NOTE));
        TestRegistry reg = baseline.copyTo(tmp.resolve("schemas"))
                .write("events/order.created/v1.json", event("order", "\"orderId\"", ID))
                .write("events/order.created/v2.json", event("order", "\"orderId\"", ID));
        Report r = check(reg.root(), Config.defaults().withMode(Mode.NONE), baseline.root());
        assertThat(rules(r)).containsExactly("error PUBLISHED_VERSION_MODIFIED");
        Finding f = r.findings().get(0);
        assertThat(f.location().line()).isEqualTo(8);
        assertThat(f.message()).contains("differs from the published file from line 8").contains("PROPERTY_REMOVED at /properties/note");
    }

    @Test
    void baselineDeletionsAndSharedTypeChangesAreCaught(@TempDir Path base) {
        TestRegistry baseline = new TestRegistry(base.resolve("schemas"))
                .write("types/money.json", MONEY_TYPE)
                .write("events/order.created/v1.json", event("order", "\"orderId\"", ID, MONEY_REF))
                .write("events/order.created/v2.json", event("order", "\"orderId\"", ID, MONEY_REF))
                .write("events/account.registered/v1.json", event("account", "\"accountId\"", "\"accountId\": {\"type\": \"string\"}"));
        TestRegistry reg = baseline.copyTo(tmp.resolve("schemas"))
                .write("registry.json", TestRegistry.REGISTRY.replace(",\n    \"account\": {\"description\": \"Accounts.\"}", ""))
                .delete("events/account.registered/v1.json")
                .delete("events/order.created/v2.json")
                .write("types/money.json", MONEY_TYPE.replace("\"number\"", "\"integer\""));
        Report r = check(reg.root(), Config.defaults(), baseline.root());
        assertThat(rules(r)).containsExactlyInAnyOrder("error SERVICE_REMOVED", "error EVENT_REMOVED", "error VERSION_REMOVED",
                "error PUBLISHED_SCHEMA_CHANGED");
        Finding type = r.findings().stream().filter(f -> f.rule() == Rule.PUBLISHED_SCHEMA_CHANGED).findFirst().orElseThrow();
        assertThat(type.location().file()).endsWith("types/money.json");
        assertThat(type.message()).contains("TYPE_NARROWED at /properties/total/properties/amount/type");
    }

    @Test
    void deprecatingAnEventIsAllowed(@TempDir Path base) {
        TestRegistry baseline = new TestRegistry(base.resolve("schemas"))
                .write("events/order.created/v1.json", event("order", "\"orderId\"", ID));
        TestRegistry reg = baseline.copyTo(tmp.resolve("schemas"))
                .write("events/order.created/v2.json", event("order", "\"orderId\"", ID).replace("\"type\": \"object\"", "\"deprecated\": true,\n  \"type\": \"object\""));
        assertThat(check(reg.root(), Config.defaults(), baseline.root()).findings()).isEmpty();
    }

    @Test
    void compatJsonSkipsSeveritiesAndExceptionsWithExpiry() {
        TestRegistry reg = new TestRegistry(tmp.resolve("schemas"))
                .write("events/order.created/v1.json", event("order", "\"orderId\"", ID, NOTE, "\"n\": {\"type\": \"integer\"}"))
                .write("events/order.created/v2.json", event("order", "\"orderId\"", ID, "\"n\": {\"type\": \"number\"}"))
                .write("compat.json", "{\n  \"mode\": \"BACKWARD\",\n  \"severity\": {\"java-source\": \"error\"},\n"
                        + "  \"exceptions\": [\n    {\"rule\": \"PROPERTY_REMOVED\", \"path\": \"events/order.created/v2.json#/properties/note\", \"reason\": \"never filled\", \"expires\": \"2026-12-31\"},\n"
                        + "    {\"rule\": \"TYPE_CHANGED\", \"path\": \"schemas/events/order.created/v2.json#/properties/gone\", \"reason\": \"stale\"}\n  ]\n}\n");
        Registry registry = RegistryLoader.load(reg.root());
        Config config = CompatChecker.configOf(registry);
        assertThat(config.mode()).isEqualTo(Mode.BACKWARD);
        // BACKWARD: the removal breaks only forward, so it is not even reported; integer -> number is a java-source error by config
        Report r = new CompatChecker(config, LocalDate.of(2026, 11, 22)).check(registry, null);
        assertThat(rules(r)).containsExactlyInAnyOrder("error JAVA_TYPE_CHANGED", "warning EXCEPTION_UNUSED", "warning EXCEPTION_UNUSED");
        Finding stale = r.findings().stream().filter(f -> f.rule() == Rule.EXCEPTION_UNUSED && f.message().contains("TYPE_CHANGED")).findFirst().orElseThrow();
        assertThat(stale.location().fileLineColumn()).isEqualTo(reg.root() + "/compat.json:6:5");
        // FULL: the removal is reported, accepted by the exception until it expires
        Report full = new CompatChecker(config.withMode(Mode.FULL), LocalDate.of(2026, 11, 22)).check(registry, null);
        assertThat(rules(full)).containsExactlyInAnyOrder("info PROPERTY_REMOVED", "error JAVA_TYPE_CHANGED", "error TYPE_WIDENED", "warning EXCEPTION_UNUSED");
        assertThat(full.findings().stream().filter(f -> f.rule() == Rule.PROPERTY_REMOVED).findFirst().orElseThrow().note())
                .contains("Accepted by an exception in compat.json until 2026-12-31: never filled");
        Report expired = new CompatChecker(config.withMode(Mode.FULL), LocalDate.of(2027, 1, 1)).check(registry, null);
        assertThat(rules(expired)).contains("error PROPERTY_REMOVED");
        assertThat(expired.findings().stream().filter(f -> f.rule() == Rule.PROPERTY_REMOVED).findFirst().orElseThrow().note())
                .contains("expired on 2026-12-31");
        // skip
        Config skipping = new Config(Mode.FULL, Policy.ROBUST, java.util.Set.of(Rule.TYPE_WIDENED, Rule.JAVA_TYPE_CHANGED), java.util.Map.of(),
                java.util.Map.of(), config.exceptions());
        assertThat(rules(new CompatChecker(skipping, LocalDate.of(2026, 11, 22)).check(registry, null)))
                .containsExactlyInAnyOrder("info PROPERTY_REMOVED", "warning EXCEPTION_UNUSED");
    }

    @Test
    void aBrokenCompatJsonSaysWhereAndWhy() {
        TestRegistry reg = new TestRegistry(tmp.resolve("schemas"))
                .write("events/order.created/v1.json", event("order", "\"orderId\"", ID))
                .write("compat.json", "{\n  \"mode\": \"SIDEWAYS\",\n  \"exceptions\": [{\"rule\": \"NO_SUCH_RULE\", \"path\": \"x\", \"reason\": \"r\"}]\n}\n");
        Registry registry = RegistryLoader.load(reg.root());
        assertThatThrownBy(() -> CompatChecker.configOf(registry)).isInstanceOf(CompatException.class)
                .hasMessageContaining("compat.json:2:3: unknown mode 'SIDEWAYS'")
                .hasMessageContaining("compat.json:3:18: unknown rule 'NO_SUCH_RULE'");
    }

    @Test
    void removingADeprecatedPropertyAndReservingItsNameIsTheSafeWayUnderRobust() {
        TestRegistry reg = new TestRegistry(tmp.resolve("schemas"))
                .write("events/order.created/v1.json", event("order", "\"orderId\"", ID, "\"legacy\": {\"type\": \"string\", \"deprecated\": true}"))
                .write("events/order.created/v2.json", event("order", "\"orderId\"", ID).replace("\"type\": \"object\",", "\"type\": \"object\",\n  \"x-reserved\": [\"legacy\"],"))
                .write("events/order.created/v3.json", event("order", "\"orderId\"", ID, "\"legacy\": {\"type\": \"integer\"}").replace("\"type\": \"object\",", "\"type\": \"object\",\n  \"x-reserved\": [\"legacy\"],"));
        Report r = check(reg.root(), Config.defaults(), null);
        assertThat(rules(r)).containsExactly("error RESERVED_NAME_REUSED", "error TYPE_CHANGED");
        assertThat(r.findings().get(0).subject()).isEqualTo("order.created v3 against v2");
    }
}
