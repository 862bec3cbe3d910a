package dev.herald.compat;

import dev.herald.compat.diff.SchemaDiff;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.schema.Registry;
import dev.herald.schema.RegistryLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Properties every verdict must have, checked over every schema at hand (the Apicurio corpus, the
 * rule examples, this repository's registry): a schema is compatible with itself, and under the
 * strict policy (pure set semantics) swapping old and new swaps the directions.
 */
class InvariantsTest {

    static List<JsonNode[]> pairs() throws IOException {
        List<JsonNode[]> pairs = new ArrayList<>();
        for (JsonNode t : ApicurioCorpusTest.cases()) {
            pairs.add(new JsonNode[] {t.get("original"), t.get("updated")});
        }
        for (RuleExamplesTest.Example e : RuleExamplesTest.examples()) {
            pairs.add(new JsonNode[] {e.oldSchema(), e.newSchema()});
        }
        assertThat(pairs).hasSizeGreaterThan(200);
        return pairs;
    }

    @Test
    void everySchemaIsCompatibleWithItself() throws IOException {
        for (JsonNode[] p : pairs()) {
            for (JsonNode s : p) {
                for (Policy policy : Policy.values()) {
                    List<Change> changes = SchemaDiff.diff(new JsonSource("a", s), new JsonSource("b", s.deepCopy()), policy);
                    assertThat(changes).as(policy + " " + s).isEmpty();
                }
            }
        }
    }

    @Test
    void underStrictSwappingOldAndNewSwapsTheDirections() throws IOException {
        for (JsonNode[] p : pairs()) {
            Verdict forth = Verdict.of(valueChanges(SchemaDiff.diff(new JsonSource("old", p[0]), new JsonSource("new", p[1]), Policy.STRICT)));
            Verdict back = Verdict.of(valueChanges(SchemaDiff.diff(new JsonSource("new", p[1]), new JsonSource("old", p[0]), Policy.STRICT)));
            assertThat(back.backward()).as("old %s new %s", p[0], p[1]).isEqualTo(forth.forward());
            assertThat(back.forward()).as("old %s new %s", p[0], p[1]).isEqualTo(forth.backward());
        }
    }

    /** x-reserved rules guard names, not accepted values: they are not symmetric by design. */
    private static List<Change> valueChanges(List<Change> changes) {
        return changes.stream().filter(c -> c.rule() != Rule.RESERVED_NAME_DROPPED && c.rule() != Rule.RESERVED_NAME_REUSED).toList();
    }

    @Test
    void thisRepositorysRegistryIsCompatibleWithItselfVersionByVersion() {
        Path module = Path.of("").toAbsolutePath();
        Path repo = Files.exists(module.resolve("mvnw")) ? module : module.getParent();
        Registry registry = RegistryLoader.load(repo.resolve("schemas"));
        CompatChecker.Baseline self = new CompatChecker.Baseline(RegistryLoader.load(repo.resolve("schemas")), "itself", "itself/");
        Report r = new CompatChecker(CompatChecker.configOf(registry)).check(registry, self);
        assertThat(r.findings()).as(r.summary()).noneMatch(f -> f.severity() == Severity.ERROR);
    }
}
