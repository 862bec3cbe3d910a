package dev.herald.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.compat.cli.HeraldCompat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes: 0 compatible, 1 breaking, 2 usage or input error. */
class CliTest {

    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HeraldCompat.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void importConvertsADraft07TreeAndRefusesToOverwrite(@TempDir Path tmp) throws Exception {
        Path tree = Path.of("..", "schema-model", "src", "test", "resources", "import-tree");
        Path into = tmp.resolve("schemas");
        String[] r = run("import", tree.toString(), "--into", into.toString(), "--owner", "tracker", "--java-package", "com.example.tracker");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("events/issues/opened.schema.json -> events/issues.opened/v1.json").contains("4 files imported");
        assertThat(dev.herald.schema.RegistryLoader.load(into).events()).hasSize(2);

        String[] again = run("import", tree.toString(), "--into", into.toString(), "--owner", "tracker", "--java-package", "com.example.tracker");
        assertThat(again[0]).isEqualTo("2");
        assertThat(again[2]).contains("is not empty");
    }

    @Test
    void usageErrorsExitWith2() {
        assertThat(run("check", "--no-such-option")[0]).isEqualTo("2");
        assertThat(run("check", "--format", "yaml", "src/test/resources/golden/current")[2]).contains("unknown format 'yaml'");
        assertThat(run("diff", "--mode", "SIDEWAYS", "a.json", "b.json")[0]).isEqualTo("2");
        assertThat(run()[0]).isEqualTo("2");
    }

    @Test
    void inputErrorsExitWith2AndSayWhy(@TempDir Path tmp) throws Exception {
        String[] missing = run("check", tmp.resolve("nothing-here").toString());
        assertThat(missing[0]).isEqualTo("2");
        assertThat(missing[2]).contains("does not load").contains("does not exist");
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"type\": \"string\",\n  oops}");
        String[] diff = run("diff", bad.toString(), bad.toString());
        assertThat(diff[0]).isEqualTo("2");
        assertThat(diff[2]).contains("bad.json:2:");
    }

    @Test
    void outputFileAndDiffAcrossFilesWithRefs(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("types"));
        Files.writeString(tmp.resolve("types/money.json"), "{\"type\": \"object\", \"properties\": {\"amount\": {\"type\": \"integer\"}}}");
        Files.writeString(tmp.resolve("old.json"), "{\"type\": \"object\", \"properties\": {\"total\": {\"type\": \"object\", \"properties\": {\"amount\": {\"type\": \"integer\"}}}}}");
        Files.writeString(tmp.resolve("new.json"), "{\"type\": \"object\", \"properties\": {\"total\": {\"$ref\": \"types/money.json\"}}}");
        Path report = tmp.resolve("out/report.json");
        String[] r = run("diff", "--format", "json", "-o", report.toString(), tmp.resolve("old.json").toString(), tmp.resolve("new.json").toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(Files.readString(report)).contains("\"passed\" : true");
    }
}
