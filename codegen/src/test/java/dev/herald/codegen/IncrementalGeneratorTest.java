package dev.herald.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncrementalGeneratorTest {

    @TempDir
    Path tmp;
    private Path schemas;
    private IncrementalGenerator.Request request;

    @BeforeEach
    void copyFixture() {
        schemas = tmp.resolve("schemas");
        Fixtures.copyTree(Fixtures.fixtureRegistry(), schemas);
        request = new IncrementalGenerator.Request(schemas, tmp.resolve("out/java"), tmp.resolve("out/res"),
                tmp.resolve("out/state"), GeneratorOptions.defaults(), false);
    }

    private Path source(String name) {
        return tmp.resolve("out/java/com/example/fixture/" + name);
    }

    @Test
    void theSecondRunWithUnchangedInputsDoesNothing() throws IOException {
        IncrementalGenerator.Result first = IncrementalGenerator.run(request);
        assertThat(first.skipped()).isFalse();
        assertThat(first.sources()).isEqualTo(19);
        assertThat(first.filesWritten()).isEqualTo(first.sources() + first.resources());
        FileTime written = Files.getLastModifiedTime(source("Money.java"));

        IncrementalGenerator.Result second = IncrementalGenerator.run(request);

        assertThat(second.skipped()).isTrue();
        assertThat(second.sources()).isEqualTo(first.sources());
        assertThat(second.resources()).isEqualTo(first.resources());
        assertThat(Files.getLastModifiedTime(source("Money.java"))).isEqualTo(written);
    }

    @Test
    void aChangedSchemaRegeneratesButRewritesOnlyWhatChanged() throws IOException {
        IncrementalGenerator.run(request);
        Path user = schemas.resolve("events/user.pinged/v1.json");
        Files.writeString(user, Files.readString(user).replace("\"format\": \"date-time\"}",
                "\"format\": \"date-time\", \"description\": \"When.\"}"));

        IncrementalGenerator.Result again = IncrementalGenerator.run(request);

        assertThat(again.skipped()).isFalse();
        // UserPinged.java and the schema copy change; nothing else is rewritten
        assertThat(again.filesWritten()).isEqualTo(2);
        assertThat(Files.readString(source("UserPinged.java"))).contains("@param at When.");
    }

    @Test
    void aDeletedOutputFileOrForceRegenerates() throws IOException {
        IncrementalGenerator.run(request);
        Files.delete(source("Money.java"));

        assertThat(IncrementalGenerator.run(request).skipped()).isFalse();
        assertThat(source("Money.java")).isRegularFile();

        IncrementalGenerator.Request forced = new IncrementalGenerator.Request(request.schemaDir(),
                request.sourceDir(), request.resourceDir(), request.stateFile(), request.options(), true);
        assertThat(IncrementalGenerator.run(forced).skipped()).isFalse();
    }

    @Test
    void otherOptionsRegenerate() {
        IncrementalGenerator.run(request);
        IncrementalGenerator.Request other = new IncrementalGenerator.Request(request.schemaDir(),
                request.sourceDir(), request.resourceDir(), request.stateFile(),
                GeneratorOptions.defaults().withJavaPackage("org.acme"), false);

        assertThat(IncrementalGenerator.run(other).skipped()).isFalse();
    }

    @Test
    void filesOfARemovedSchemaAreDeleted() throws IOException {
        IncrementalGenerator.run(request);
        assertThat(source("UserPinged.java")).isRegularFile();
        Files.delete(schemas.resolve("events/user.pinged/v1.json"));
        Files.delete(schemas.resolve("events/user.pinged"));

        IncrementalGenerator.Result result = IncrementalGenerator.run(request);

        assertThat(result.filesDeleted()).isEqualTo(2);
        assertThat(source("UserPinged.java")).doesNotExist();
        assertThat(tmp.resolve("out/res/META-INF/herald/schemas/events/user.pinged/v1.json")).doesNotExist();
    }

    @Test
    void theFingerprintCoversTheGeneratorVersion() {
        assertThat(IncrementalGenerator.generatorIdentity()).doesNotStartWith("unknown")
                .contains("+").doesNotContain("${");
    }
}
