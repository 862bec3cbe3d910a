package dev.herald.compat;

import dev.herald.compat.diff.SchemaDiff;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Pattern languages compared: every witness is checked against java.util.regex's search, as JSON Schema searches. */
class PatternLanguageTest {

    static boolean searches(String pattern, String value) {
        return Pattern.compile(pattern).matcher(value).find();
    }

    @ParameterizedTest(name = "{0} -> {1}: old-only {2}, new-only {3}")
    @CsvSource(delimiter = ';', value = {
            "^[A-Z]{3}$;^[A-Z]{3,4}$;false;true",
            "^[A-Z]{3,4}$;^[A-Z]{3}$;true;false",
            "^\\d+$;^[0-9]+$;false;false",
            "abc;ab;false;true",
            "^SKU-\\d{4}$;^SKU-\\d{4,6}$;false;true",
            "^[a-z]+(-[a-z]+)*$;^[a-z0-9]+(-[a-z0-9]+)*$;false;true",
            "^(?:red|green)$;^(red|green|blue)$;false;true",
            "^\\w+@\\w+\\.com$;^\\S+@\\S+$;false;true",
            "^.{1,3}$;^.{1,5}$;false;true",
            "^[^x]+$;^[^xy]+$;true;false",
            "^(|a)$;^a?$;false;false",
            "^\\x41$;^A$;false;false"})
    void decidesInclusionAndShowsAWitness(String oldPattern, String newPattern, boolean oldOnly, boolean newOnly) {
        PatternLanguage.Comparison c = PatternLanguage.compare(oldPattern, newPattern);
        assertThat(c.undecided()).isNull();
        assertThat(c.onlyInOld() != null).as("a value only the old pattern accepts").isEqualTo(oldOnly);
        assertThat(c.onlyInNew() != null).as("a value only the new pattern accepts").isEqualTo(newOnly);
        if (c.onlyInOld() != null) {
            assertThat(searches(oldPattern, c.onlyInOld())).isTrue();
            assertThat(searches(newPattern, c.onlyInOld())).isFalse();
        }
        if (c.onlyInNew() != null) {
            assertThat(searches(newPattern, c.onlyInNew())).isTrue();
            assertThat(searches(oldPattern, c.onlyInNew())).isFalse();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "(a)\\1;a;backreference",
            "^(?=a)a$;^a$;lookaround",
            "^a|b$;^a$;top-level '|'",
            "\\bword;word;word boundary",
            "\\p{L}+;a;not supported",
            "^([a-z]{1,300}){1,30}$;^a$;repetition count over 100",
            "^\\x+1$;^a$;malformed hexadecimal",
            "^\\01$;^a$;octal"})
    void patternsOutsideTheRegularSubsetAreUndecidedAndSayWhy(String oldPattern, String newPattern, String why) {
        assertThat(PatternLanguage.compare(oldPattern, newPattern).undecided()).contains(why);
    }

    @Test
    void theDotRefusesLineTerminatorsAsEcmaDoes() {
        PatternLanguage.Comparison c = PatternLanguage.compare("^.$", "^(.|\\n)$");
        assertThat(c.onlyInOld()).isNull();
        assertThat(c.onlyInNew()).isNotNull();
        assertThat(searches("^.$", c.onlyInNew())).isFalse();
    }

    static java.util.List<Change> diff(String oldPattern, String newPattern) throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var o = json.createObjectNode().put("type", "string").put("pattern", oldPattern);
        var n = json.createObjectNode().put("type", "string").put("pattern", newPattern);
        return SchemaDiff.diff(new JsonSource("old", o), new JsonSource("new", n), Policy.STRICT);
    }

    @Test
    void theGateLetsAWidenedPatternPassBackwardAndShowsWhatNarrowingRefuses() throws Exception {
        assertThat(diff("^[A-Z]{3}$", "^[A-Z]{3,4}$")).singleElement().satisfies(c -> {
            assertThat(c.rule()).isEqualTo(Rule.PATTERN_CHANGED);
            assertThat(c.breaksBackward()).as("old data still matches").isFalse();
            assertThat(c.breaksForward()).isTrue();
            assertThat(c.message()).contains("the new pattern accepts \"AAAA\"");
        });
        assertThat(diff("^[A-Z]{3,4}$", "^[A-Z]{3}$")).singleElement().satisfies(c -> {
            assertThat(c.breaksBackward()).isTrue();
            assertThat(c.breaksForward()).isFalse();
            assertThat(c.message()).contains("the old pattern accepts \"AAAA\", the new one refuses it");
        });
        assertThat(diff("^\\d+$", "^[0-9]+$")).as("the same language, written differently").isEmpty();
        assertThat(diff("(a)\\1", "a")).singleElement().satisfies(c -> {
            assertThat(c.breaksBackward()).isTrue();
            assertThat(c.breaksForward()).isTrue();
            assertThat(c.message()).contains("cannot compare them").contains("backreference");
        });
    }
}
