package dev.herald.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.herald.schema.Problem;
import dev.herald.schema.RegistryException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the generator cannot express fails the build with the file, line, column, JSON pointer and
 * a fix — never a silent Object. Each case writes a one-event registry whose property {@code p}
 * is the schema under test (on line 8 of the event file).
 */
class UnsupportedSchemaTest {

    @TempDir
    Path tmp;

    private Path registry(String propertySchema) {
        Path root = tmp.resolve("schemas");
        Fixtures.write(root.resolve("registry.json"),
                "{\"namespace\": \"t\", \"javaPackage\": \"com.example.t\", \"services\": {\"svc\": {}}}");
        Fixtures.write(root.resolve("events/thing.happened/v1.json"), """
                {
                  "$schema": "https://json-schema.org/draft/2020-12/schema",
                  "x-owner": "svc",
                  "type": "object",
                  "required": ["id"],
                  "properties": {
                    "id": {"type": "string"},
                    "p": %s
                  }
                }
                """.formatted(propertySchema));
        return root;
    }

    private List<Problem> problems(String propertySchema) {
        RegistryException e = catchThrowableOfType(RegistryException.class,
                () -> CodeGenerator.generate(registry(propertySchema), GeneratorOptions.defaults()));
        assertThat(e).as("generation must fail for %s", propertySchema).isNotNull();
        return e.problems();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"oneOf\": [{\"type\": \"string\"}, {\"minimum\": 3}]}|/properties/p/oneOf|not all described by a type",
            "{\"oneOf\": [{\"type\": \"string\"}, {\"type\": \"string\", \"maxLength\": 3}]}|/properties/p/oneOf/1|both string",
            "{\"anyOf\": [{\"type\": \"integer\"}, {\"type\": \"number\"}]}|/properties/p/anyOf|overlap",
            "{\"oneOf\": [{\"type\": \"object\", \"required\": [\"a\"], \"properties\": {\"a\": {\"type\": \"string\"}}}, {\"type\": \"object\", \"required\": [\"a\"], \"properties\": {\"a\": {\"type\": \"integer\"}}}]}|/properties/p/oneOf/0|cannot be told apart",
            "{\"type\": \"string\", \"anyOf\": [{\"minLength\": 1}]}|/properties/p/anyOf|cannot express \"anyOf\"",
            "{\"allOf\": [{\"type\": \"string\", \"maxLength\": 3}, {\"type\": \"integer\"}]}|/properties/p/allOf/1|no value can satisfy",
            "{\"allOf\": [{\"type\": \"string\", \"enum\": [\"a\"]}, {\"enum\": [\"b\"]}]}|/properties/p/allOf/1|share no value",
            "{\"allOf\": [{\"properties\": {\"a\": {\"type\": \"string\"}}}, {\"properties\": {\"a\": {\"type\": \"integer\"}}}]}|/properties/p/allOf/1/properties/a|no value can satisfy",
            "{\"allOf\": [{\"properties\": {\"a\": {\"type\": \"string\"}}, \"additionalProperties\": false}, {\"properties\": {\"b\": {\"type\": \"string\"}}}]}|/properties/p/allOf/0/additionalProperties|always refused",
            "{\"allOf\": [{\"type\": \"string\"}, {\"properties\": {\"b\": {\"type\": \"string\"}}}]}|/properties/p/allOf/0|is not an object",
            "{\"type\": \"integer\", \"const\": 3.5}|/properties/p/const|is not an integer",
            "{\"type\": \"boolean\", \"const\": \"yes\"}|/properties/p/const|is not a boolean",
            "{\"type\": \"string\", \"x-java-name\": \"1st\"}|/properties/p/x-java-name|is not a Java identifier",
            "{\"type\": \"string\", \"enum\": [\"a\", \"b\"], \"x-enum-varnames\": [\"A\"]}|/properties/p/x-enum-varnames|one Java constant name per enum value",
            "{\"type\": \"integer\", \"format\": \"int16\"}|/properties/p/format|format \"int16\" has no Java mapping",
            "{\"type\": \"object\", \"patternProperties\": {\"^a\": {\"type\": \"string\"}}}|/properties/p/patternProperties|cannot express",
            "{\"type\": \"object\", \"required\": [\"a\"]}|/properties/p/required|free-form object",
            "false|/properties/p|allows no value at all",
            "{\"oneOf\": [{\"type\": \"null\"}, {\"type\": \"null\"}]}|/properties/p/oneOf|cannot express \"oneOf\"",
            "{\"type\": \"array\"}|/properties/p|List<Object>",
            "{\"type\": \"string\", \"format\": \"date-time\", \"maxLength\": 30}|/properties/p/maxLength|cannot apply to a date-time",
            "{\"type\": \"string\", \"minimun\": 3}|/properties/p/minimun|unknown keyword \"minimun\"",
            "{\"type\": \"string\", \"x-alias\": [\"q\"]}|/properties/p/x-alias|unknown extension keyword",
            "{\"type\": \"string\", \"minimum\": 3}|/properties/p/minimum|does not apply to a value of type string",
            "{\"type\": [\"string\", \"object\"]}|/properties/p/type|several types",
            "{\"type\": \"string\", \"enum\": [\"a\", \"unknown\"]}|/properties/p/enum/1|reserves",
            "{\"type\": \"string\", \"enum\": [\"in-progress\", \"in_progress\"]}|/properties/p/enum/1|both become the constant IN_PROGRESS",
            "{\"type\": \"integer\", \"enum\": [1, 2]}|/properties/p/enum/0|is not a string",
            "{\"type\": \"number\", \"multipleOf\": 5}|/properties/p/multipleOf|no Jakarta constraint",
            "{\"type\": \"string\", \"pattern\": \"(unclosed\"}|/properties/p/pattern|does not compile",
            "{\"type\": \"integer\", \"default\": \"seven\"}|/properties/p/default|does not fit",
            "{\"$ref\": \"#/$defs/nothing\"}|/properties/p/$ref|does not resolve",
            "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}, \"additionalProperties\": {\"type\": \"string\"}}|/properties/p/additionalProperties|named properties and"
    })
    void failsWithFileLinePointerAndFix(String schema, String pointer, String message) {
        List<Problem> problems = problems(schema);

        assertThat(problems).as("problems for %s", schema).anySatisfy(problem -> {
            assertThat(problem.location().pointer()).isEqualTo(pointer);
            assertThat(problem.message()).contains(message);
            assertThat(problem.location().file().toString().replace('\\', '/'))
                    .endsWith("events/thing.happened/v1.json");
            assertThat(problem.location().line()).isEqualTo(8);
            assertThat(problem.fix()).isNotBlank();
            assertThat(problem.format()).contains("v1.json:8:").contains("(#" + pointer + ")").contains("Fix: ");
        });
    }

    @Test
    void reportsEveryProblemOfTheRegistryAtOnce() {
        Path root = registry("{\"oneOf\": [{\"type\": \"string\"}]}");
        Fixtures.write(root.resolve("types/bad.json"), "{\"type\": \"string\", \"format\": \"uuid\", \"pattern\": \"^a\"}");

        RegistryException e = catchThrowableOfType(RegistryException.class,
                () -> CodeGenerator.generate(root, GeneratorOptions.defaults()));

        assertThat(e.problems()).extracting(p -> p.location().pointer())
                .containsExactlyInAnyOrder("/pattern", "/properties/p/oneOf");
        assertThat(e.getMessage()).startsWith("The schema registry has 2 problems:");
    }

    @Test
    void foreignKeywordsAreRefusedUntilTheRegistryDeclaresThemAsAnnotations() {
        String schema = "{\"type\": \"object\", \"tsAdditionalProperties\": true, \"properties\": {\"a\": {\"type\": \"string\", \"x-vendor-hint\": 1}}}";
        List<Problem> refused = problems(schema);
        assertThat(refused).extracting(p -> p.location().pointer())
                .containsExactlyInAnyOrder("/properties/p/tsAdditionalProperties", "/properties/p/properties/a/x-vendor-hint");
        assertThat(refused).allSatisfy(p -> assertThat(p.fix()).contains("annotationKeywords"));

        Path root = registry(schema);
        Fixtures.write(root.resolve("registry.json"), "{\"namespace\": \"t\", \"javaPackage\": \"com.example.t\", \"services\": {\"svc\": {}},"
                + " \"annotationKeywords\": [\"tsAdditionalProperties\", \"x-vendor-*\"]}");
        GeneratedSources generated = CodeGenerator.generate(root, GeneratorOptions.defaults());
        assertThat(generated.sources()).containsKey("com/example/t/ThingHappened.java");
    }

    @Test
    void anAnnotationKeywordsEntryThatNamesAValidatingKeywordIsRefused() {
        Path root = registry("{\"type\": \"string\"}");
        Fixtures.write(root.resolve("registry.json"), "{\"namespace\": \"t\", \"javaPackage\": \"com.example.t\", \"services\": {\"svc\": {}},"
                + " \"annotationKeywords\": [\"maxLength\", \"x-owner\", \"max*\", \"additionalItems\"]}");
        RegistryException e = catchThrowableOfType(RegistryException.class,
                () -> CodeGenerator.generate(root, GeneratorOptions.defaults()));
        assertThat(e.problems()).extracting(p -> p.location().pointer())
                .containsExactly("/annotationKeywords/0", "/annotationKeywords/1", "/annotationKeywords/2", "/annotationKeywords/3");
    }

    @Test
    void loaderAndGeneratorProblemsAreReportedInOneRun() {
        Path root = registry("{\"oneOf\": [{\"type\": \"string\"}, {\"minimum\": 3}]}");
        // a loader problem in another file: it used to hide every generator problem until fixed
        Fixtures.write(root.resolve("types/tagged.json"), "{\"$id\": \"https://example.com/tagged\", \"type\": \"object\","
                + " \"properties\": {\"t\": {\"type\": \"string\", \"format\": \"uuid\", \"maxLength\": 3}}}");

        RegistryException e = catchThrowableOfType(RegistryException.class,
                () -> CodeGenerator.generate(root, GeneratorOptions.defaults()));

        assertThat(e.problems()).extracting(p -> p.location().pointer())
                .contains("/$id", "/properties/p/oneOf", "/properties/t/maxLength");
    }

    @Test
    void anAllOfIntersectionKeepsNullWhereEveryPartAcceptsIt() {
        // {} accepts null; [string, null] accepts null: the required property must accept null too
        Path root = registry("{\"allOf\": [{\"properties\": {\"a\": {}}}, {\"required\": [\"a\"], \"properties\": {\"a\": {\"type\": [\"string\", \"null\"]}}}]}");
        String source = CodeGenerator.generate(root, GeneratorOptions.defaults()).source("com/example/t/ThingHappened.java");
        assertThat(source).contains("@JsonProperty(value = \"a\", required = true) @JsonInclude(JsonInclude.Include.ALWAYS) String a");

        assertThat(problems("{\"allOf\": [{\"properties\": {\"a\": false}}, {\"properties\": {\"a\": {\"type\": \"string\"}}}]}"))
                .anySatisfy(p -> assertThat(p.message()).contains("the schema false, which accepts nothing"));
    }

    @Test
    void aSharedTypeCannotTakeTheNameOfTheNestedBuilder() {
        Path root = registry("{\"$ref\": \"../../types/builder.json\"}");
        Fixtures.write(root.resolve("types/builder.json"), "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}}");
        RegistryException e = catchThrowableOfType(RegistryException.class, () -> CodeGenerator.generate(root, GeneratorOptions.defaults()));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p.message()).contains("Builder is already taken"));
    }

    @Test
    void refusesTwoTypesWithTheSameJavaName() {
        Path root = registry("{\"type\": \"string\"}");
        Fixtures.write(root.resolve("types/thing-happened.json"),
                "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}}");

        RegistryException e = catchThrowableOfType(RegistryException.class,
                () -> CodeGenerator.generate(root, GeneratorOptions.defaults()));

        assertThat(e.problems()).singleElement().satisfies(p ->
                assertThat(p.message()).contains("ThingHappened is already taken"));
    }
}
