package dev.herald.compat.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.compat.Category;
import dev.herald.compat.Change;
import dev.herald.compat.CompatException;
import dev.herald.compat.Json;
import dev.herald.compat.JsonSource;
import dev.herald.compat.Policy;
import dev.herald.compat.Rule;
import dev.herald.schema.Vocabulary;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The unit list's contract, and the walker's refusal to half-read a schema. */
class UnitsTest {

    @Test
    void everyKeywordHasOneOwnerAndEverySchemaRuleAUnit() {
        Map<String, String> owner = new HashMap<>();
        Set<Rule> declared = EnumSet.noneOf(Rule.class);
        for (KeywordUnit u : Units.ALL) {
            for (String k : u.keywords()) {
                assertThat(owner.put(k, u.getClass().getSimpleName())).as("keyword %s is read by one unit only", k).isNull();
                assertThat(Vocabulary.ALL_DRAFT_KEYWORDS).as("%s reads a JSON Schema keyword", u.getClass().getSimpleName()).contains(k);
            }
            declared.addAll(u.rules());
        }
        for (Rule r : Rule.values()) {
            if (r.category() != Category.REGISTRY) {
                assertThat(declared).as("a unit reports %s", r).contains(r);
            }
        }
        // every validating keyword of 2020-12 is modeled by some unit (annotations and identifiers need none)
        for (String k : dev.herald.schema.Dialect.DRAFT_2020_12.keywords()) {
            if (!Schemas.ANNOTATIONS.contains(k) && !k.equals("$dynamicRef")) {
                assertThat(owner).as("2020-12 keyword %s has a unit", k).containsKey(k);
            }
        }
    }

    private static List<Change> diff(String oldJson, String newJson) throws Exception {
        JsonNode o = Json.MAPPER.readTree(oldJson.replace('\'', '"'));
        JsonNode n = Json.MAPPER.readTree(newJson.replace('\'', '"'));
        return SchemaDiff.diff(new JsonSource("old.json", o), new JsonSource("new.json", n), Policy.STRICT);
    }

    private static Change only(List<Change> changes) {
        assertThat(changes).hasSize(1);
        return changes.get(0);
    }

    @Test
    void aKeywordOutsideTheDeclaredDraftIsUnmodeledAndBreaksBothWays() throws Exception {
        String d7 = "'$schema':'http://json-schema.org/draft-07/schema#',";
        Change c = only(diff("{" + d7 + "'type':'array','prefixItems':[{'type':'string'}]}", "{" + d7 + "'type':'array','prefixItems':[{'type':'integer'}]}"));
        assertThat(c.rule()).isEqualTo(Rule.CONSTRAINT_CHANGED);
        assertThat(c.breaksBackward() && c.breaksForward()).isTrue();
        assertThat(c.message()).contains("'prefixItems' is not a keyword of draft 7");

        String d2020 = "'$schema':'https://json-schema.org/draft/2020-12/schema',";
        c = only(diff("{" + d2020 + "'type':'object','dependencies':{'a':['b']}}", "{" + d2020 + "'type':'object','dependencies':{'a':['c']}}"));
        assertThat(c.rule()).isEqualTo(Rule.CONSTRAINT_CHANGED);
        assertThat(c.message()).contains("not a keyword of draft 2020-12");
    }

    @Test
    void aKeywordReadByOneSidesDraftOnlyIsComparedAsAbsentOnTheOther() throws Exception {
        // draft 7 has no minContains: ["a"] passes the old schema and fails the new one. (networknt
        // applies minContains in draft 7 too, so this case cannot live in gate-cases.txt, whose
        // witnesses networknt checks; the spec and python-jsonschema agree with Herald.)
        Change c = only(diff("{'$schema':'http://json-schema.org/draft-07/schema#','contains':{'type':'string'},'minContains':2}",
                "{'$schema':'https://json-schema.org/draft/2019-09/schema','contains':{'type':'string'},'minContains':2}"));
        assertThat(c.rule()).isEqualTo(Rule.MIN_CONTAINS_INCREASED);
        assertThat(c.breaksBackward()).isTrue();
    }

    @Test
    void casesTheWitnessValidatorCannotJudge() throws Exception {
        // 2020-12 has no dependencies (networknt applies it anyway), draft 7 has: {"a":1} passes the old schema, fails the new
        Change c = only(diff("{'$schema':'https://json-schema.org/draft/2020-12/schema','dependencies':{'a':['b']}}",
                "{'$schema':'http://json-schema.org/draft-07/schema#','dependencies':{'a':['b']}}"));
        assertThat(c.breaksBackward()).isTrue();
        // 1 and 1.0 are the same JSON value, inside objects too (networknt's const tells them apart): {"a":1}
        // matches both branches, which anyOf accepts and oneOf refuses
        assertThat(diff("{'anyOf':[{'const':{'a':1}},{'const':{'a':1.0}}]}", "{'oneOf':[{'const':{'a':1}},{'const':{'a':1.0}}]}"))
                .anySatisfy(x -> assertThat(x.breaksBackward()).isTrue());
        // "[^]" is ECMA-262 for any character (networknt compiles patterns as Java regex and cannot read it):
        // {"a":1} matched the pattern before, and must be a string now
        List<Change> changes = diff("{'type':'object','patternProperties':{'[^]':{}},'additionalProperties':false}",
                "{'type':'object','patternProperties':{'[^]':{}},'additionalProperties':false,'properties':{'a':{'type':'string'}}}");
        assertThat(changes).anySatisfy(x -> assertThat(x.breaksBackward()).isTrue());
    }

    @Test
    void recursionThroughRewrittenReferencesEndsWithAFindingInsteadOfAStackOverflow() throws Exception {
        assertThat(diff("{'type':'object','properties':{'a':{'$ref':'#'}}}", "{'type':'object','properties':{'a':{'$ref':'#','minimum':5}}}"))
                .anySatisfy(x -> assertThat(x.breaksBackward()).isTrue());
    }

    @Test
    void aPatternOutsideTheRegularSubsetMatchesNamesUnknownlyNotTheJavaWay() throws Exception {
        // ECMA's \s matches U+00A0, Java's does not: Herald must not take "no match" from Java
        assertThat(diff("{'type':'object','properties':{'a\u00a0b':{'type':'integer'}},'additionalProperties':false}",
                "{'type':'object','properties':{'a\u00a0b':{'type':'integer'}},'additionalProperties':false,'patternProperties':{'^a\\\\sb\\\\b':{'type':'string'}}}"))
                .anySatisfy(x -> assertThat(x.breaksBackward()).isTrue());
    }

    @Test
    void anUnknownKeywordOrOneWithoutEffectHereCountsWhenItChanges() throws Exception {
        Change c = only(diff("{'type':'string','maxGraphemes':3}", "{'type':'string','maxGraphemes':5}"));
        assertThat(c.breaksBackward() && c.breaksForward()).isTrue();
        assertThat(c.message()).contains("'maxGraphemes' is not a JSON Schema keyword");
        // beside a schema-valued items, additionalItems means nothing to a draft-07 reader and is unknown to 2020-12
        c = only(diff("{'type':'array','items':{'type':'string'},'additionalItems':true}", "{'type':'array','items':{'type':'string'},'additionalItems':false}"));
        assertThat(c.path()).isEqualTo("/additionalItems");
        assertThat(c.breaksBackward() && c.breaksForward()).isTrue();
        // unchanged, it is no finding
        assertThat(diff("{'type':'string','maxGraphemes':3}", "{'type':'string','maxGraphemes':3,'description':'d'}")).isEmpty();
    }

    @Test
    void keywordsBesideARefToAnotherFileResolveWhereTheyAreWritten(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String d2020 = "\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",";
        java.nio.file.Files.writeString(dir.resolve("t.json"), "{" + d2020 + "\"type\":\"object\",\"$defs\":{\"S\":{\"type\":\"integer\"}}}");
        String side = "{" + d2020 + "\"$ref\":\"t.json\",\"properties\":{\"x\":{\"$ref\":\"#/$defs/S\"}},\"$defs\":{\"S\":{\"type\":\"%s\"}}}";
        java.nio.file.Files.writeString(dir.resolve("old.json"), String.format(side, "string"));
        java.nio.file.Files.writeString(dir.resolve("new.json"), String.format(side, "boolean"));
        // "#/$defs/S" beside the $ref is this file's S (string, then boolean), not t.json's
        List<Change> changes = SchemaDiff.diff(dev.herald.compat.DocumentSource.ofFile(dir.resolve("old.json")),
                dev.herald.compat.DocumentSource.ofFile(dir.resolve("new.json")), Policy.STRICT);
        assertThat(changes).singleElement().satisfies(x -> {
            assertThat(x.rule()).isEqualTo(Rule.TYPE_CHANGED);
            assertThat(x.oldValue()).isEqualTo("string");
            assertThat(x.newValue()).isEqualTo("boolean");
        });
    }

    @Test
    void aDraftHeraldCannotReadIsRefusedWithWhatToDo() {
        assertThatThrownBy(() -> diff("{'$schema':'http://json-schema.org/draft-03/schema#','type':'string'}", "{'type':'string'}"))
                .isInstanceOf(CompatException.class)
                .hasMessageContaining("old.json (#/$schema)")
                .hasMessageContaining("draft-03")
                .hasMessageContaining("declare one of draft 4, 6, 7, 2019-09 or 2020-12");
    }

    @Test
    void beforeDraft2019KeywordsBesideARefAreNotRead() throws Exception {
        String d7 = "'$schema':'http://json-schema.org/draft-07/schema#','definitions':{'s':{'type':'string'}},";
        // draft 7: the $ref replaces its object, so the maxLength beside it validates nothing
        assertThat(diff("{" + d7 + "'properties':{'a':{'$ref':'#/definitions/s','maxLength':5}}}",
                "{" + d7 + "'properties':{'a':{'$ref':'#/definitions/s','maxLength':3}}}")).isEmpty();
        // 2019-09 on (and Herald's default): both apply
        String d2019 = "'$schema':'https://json-schema.org/draft/2019-09/schema','$defs':{'s':{'type':'string'}},";
        Change c = only(diff("{" + d2019 + "'properties':{'a':{'$ref':'#/$defs/s','maxLength':5}}}",
                "{" + d2019 + "'properties':{'a':{'$ref':'#/$defs/s','maxLength':3}}}"));
        assertThat(c.rule()).isEqualTo(Rule.MAX_LENGTH_DECREASED);
    }

    @Test
    void aUnitReportingARuleItDoesNotDeclareIsAProgrammingError() {
        KeywordUnit rogue = new KeywordUnit() {
            @Override
            public Set<String> keywords() {
                return Set.of();
            }

            @Override
            public Set<Rule> rules() {
                return Set.of(Rule.TYPE_CHANGED);
            }

            @Override
            public void compare(SchemaNode o, SchemaNode n, Scope s) {
                s.change(Rule.ENUM_ADDED, s.path()).between(o, n).breaks(Breaks.BOTH, "x");
            }
        };
        SchemaNode node = SchemaNode.root(new JsonSource("a.json", Json.MAPPER.createObjectNode()));
        Scope scope = new Scope(null, "", false, Rule.ITEMS_FORBIDDEN, Rule.ITEMS_ALLOWED, rogue);
        assertThatThrownBy(() -> rogue.compare(node, node, scope)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reports ENUM_ADDED but does not declare it");
    }
}
