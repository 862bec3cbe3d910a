package dev.herald.compat;

import dev.herald.compat.diff.SchemaDiff;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Per rule: incompatible and compatible examples (src/test/resources/rule-examples.txt), each judged
 * under both policies, and each verdict checked in both directions (mode BACKWARD and FORWARD).
 */
class RuleExamplesTest {

    record Example(int line, Rule rule, String robust, String strict, JsonNode oldSchema, JsonNode newSchema) {
        @Override
        public String toString() {
            return "line " + line + " " + rule + " robust=" + robust + " strict=" + strict;
        }
    }

    static List<Example> examples() throws IOException {
        List<Example> list = new ArrayList<>();
        try (InputStream in = RuleExamplesTest.class.getResourceAsStream("/rule-examples.txt")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i].strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] p = l.split(" \\| ");
                assertThat(p).as("line %d has 5 columns", i + 1).hasSize(5);
                list.add(new Example(i + 1, Rule.valueOf(p[0].strip()), p[1].strip(), p[2].strip(),
                        Json.MAPPER.readTree(p[3].replace('\'', '"')), Json.MAPPER.readTree(p[4].replace('\'', '"'))));
            }
        }
        return list;
    }

    static Stream<Example> cases() throws IOException {
        return examples().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void ruleFiresWithTheExpectedDirectionsUnderEachPolicy(Example e) {
        check(e, Policy.ROBUST, e.robust());
        check(e, Policy.STRICT, e.strict());
    }

    private static void check(Example e, Policy policy, String expected) {
        List<Change> changes = SchemaDiff.diff(new JsonSource("old.json", e.oldSchema()), new JsonSource("new.json", e.newSchema()), policy);
        List<Change> mine = changes.stream().filter(c -> c.rule() == e.rule()).toList();
        String where = e + " [" + policy + "] all changes: " + changes;
        if (expected.equals("none")) {
            assertThat(mine).as(where).isEmpty();
            return;
        }
        assertThat(mine).as(where).isNotEmpty();
        boolean b = mine.stream().anyMatch(Change::breaksBackward);
        boolean f = mine.stream().anyMatch(Change::breaksForward);
        String actual = (b ? "B" : "") + (f ? "F" : "");
        assertThat(actual.isEmpty() ? "-" : actual).as(where).isEqualTo(expected);

        // both directions, through the checker as the CLI uses it: an error exactly when the mode cares
        for (Mode mode : List.of(Mode.BACKWARD, Mode.FORWARD)) {
            Report r = new CompatChecker(Config.defaults().withMode(mode).withPolicy(policy))
                    .diff(new JsonSource("old.json", e.oldSchema()), new JsonSource("new.json", e.newSchema()));
            boolean error = r.findings().stream().anyMatch(x -> x.rule() == e.rule() && x.severity() == Severity.ERROR);
            boolean shouldFail = mode == Mode.BACKWARD ? b : f;
            assertThat(error).as(where + " under " + mode).isEqualTo(shouldFail && e.rule().category() == Category.WIRE);
        }
    }

    @Test
    void everySchemaRuleHasAnIncompatibleExampleUnderEachPolicyAndACompatibleOne() throws IOException {
        List<Example> all = examples();
        Set<Rule> registryRules = EnumSet.of(Rule.PUBLISHED_VERSION_MODIFIED, Rule.PUBLISHED_SCHEMA_CHANGED,
                Rule.EVENT_REMOVED, Rule.VERSION_REMOVED, Rule.SERVICE_REMOVED, Rule.EXCEPTION_UNUSED); // covered by RegistryCheckTest
        for (Rule rule : Rule.values()) {
            if (registryRules.contains(rule)) {
                continue;
            }
            List<Example> mine = all.stream().filter(e -> e.rule() == rule).toList();
            assertThat(mine).as("examples for " + rule).anyMatch(e -> !e.robust().equals("none"));
            assertThat(mine).as("examples for " + rule).anyMatch(e -> !e.strict().equals("none"));
            assertThat(mine).as("compatible example for " + rule).anyMatch(e -> e.robust().equals("none") && e.strict().equals("none"));
        }
    }
}
