package dev.herald.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.compat.cli.HeraldCompat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden output of the CLI for every format, compared byte for byte with
 * src/test/resources/golden/expected/. After an intended change of the output, regenerate them with
 * {@code ./mvnw -B -pl compat-checker -am verify -Dherald.updateGolden=true} and review the diff.
 */
class GoldenCliTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden");
    static final boolean UPDATE = Boolean.getBoolean("herald.updateGolden");

    static Stream<Arguments> runs() {
        String base = GOLDEN.resolve("baseline").toString();
        String current = GOLDEN.resolve("current").toString();
        String oldFile = GOLDEN.resolve("old.json").toString();
        String newFile = GOLDEN.resolve("new.json").toString();
        return Stream.of(
                Arguments.of("check.txt", 1, new String[] {"check", "--against", base, current}),
                Arguments.of("check.json", 1, new String[] {"check", "--against", base, "--format", "json", current}),
                Arguments.of("check.sarif", 1, new String[] {"check", "--against", base, "--format", "sarif", current}),
                Arguments.of("check.github-actions", 1, new String[] {"check", "--against", base, "--format", "github-actions", current}),
                Arguments.of("check.junit.xml", 1, new String[] {"check", "--against", base, "--format", "junit", current}),
                Arguments.of("check-baseline-itself.txt", 0, new String[] {"check", "--against", base, base}),
                Arguments.of("check-backward-strict.txt", 1, new String[] {"check", "--mode", "BACKWARD", "--policy", "strict", current}),
                Arguments.of("diff-robust.txt", 1, new String[] {"diff", oldFile, newFile}),
                Arguments.of("diff-strict.txt", 1, new String[] {"diff", "--policy", "strict", oldFile, newFile}),
                Arguments.of("diff-forward.txt", 0, new String[] {"diff", "--mode", "FORWARD", oldFile, newFile}),
                Arguments.of("rules.txt", 0, new String[] {"rules"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void outputMatchesTheGoldenFile(String golden, int exitCode, String[] args) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HeraldCompat.execute(new PrintWriter(out), new PrintWriter(err), args);
        assertThat(code).as("exit code; stderr: " + err).isEqualTo(exitCode);
        Path file = GOLDEN.resolve("expected").resolve(golden);
        if (UPDATE) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, out.toString());
        }
        assertThat(Files.exists(file)).as(file + " exists (generate it with -Dherald.updateGolden=true)").isTrue();
        assertThat(out.toString()).isEqualTo(Files.readString(file));
    }
}
