package dev.herald.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/compatibility.md documents every rule, so the list in the docs cannot drift from the code. */
class DocsTest {

    @Test
    void everyRuleHasASectionWithItsFix() throws IOException {
        Path module = Path.of("").toAbsolutePath();
        Path repo = Files.exists(module.resolve("mvnw")) ? module : module.getParent();
        String doc = Files.readString(repo.resolve("docs/compatibility.md"));
        for (Rule rule : Rule.values()) {
            assertThat(doc).as("docs/compatibility.md documents " + rule).contains("### `" + rule.id() + "`");
            assertThat(doc).as("docs/compatibility.md gives the fix of " + rule).contains(rule.fix());
        }
    }
}
