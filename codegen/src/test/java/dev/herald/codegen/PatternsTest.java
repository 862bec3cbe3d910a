package dev.herald.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PatternsTest {

    /** For each pattern and input: full match of the translation must equal JSON Schema's search semantics. */
    @ParameterizedTest(name = "{0} on \"{1}\"")
    @CsvSource(delimiterString = " @@ ", value = {
            "^[A-Z]{3}$ @@ EUR",
            "^[A-Z]{3}$ @@ EURO",
            "[A-Z]{4} @@ xxABCDyy",
            "[A-Z]{4} @@ abc",
            "^SKU- @@ SKU-12",
            "^SKU- @@ xSKU-12",
            "[0-9]$ @@ abc1",
            "[0-9]$ @@ 1abc",
            "^a|b$ @@ xxb",
            "^a|b$ @@ axx",
            "^a|b$ @@ xax",
            "(x|y)z @@ __yz__",
            "[|]|a @@ b",
            "\\$$ @@ costs $",
            "\\$$ @@ costs"
    })
    void fullMatchOfTheTranslationEqualsSearchOfThePattern(String pattern, String input) {
        boolean jsonSchema = Pattern.compile(pattern).matcher(input).find();
        boolean jakarta = Pattern.compile(Patterns.toFullMatch(pattern)).matcher(input).matches();
        assertThat(jakarta).as("%s → %s", pattern, Patterns.toFullMatch(pattern)).isEqualTo(jsonSchema);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " @@ ", value = {
            "^[A-Z]{3}$ @@ ^[A-Z]{3}$",
            "^SKU-[0-9]+ @@ ^SKU-[0-9]+[\\s\\S]*",
            "[a-z]+$ @@ [\\s\\S]*[a-z]+$",
            "^a|b$ @@ [\\s\\S]*(?:^a|b$)[\\s\\S]*"
    })
    void anchoredPatternsStayReadable(String pattern, String expected) {
        assertThat(Patterns.toFullMatch(pattern)).isEqualTo(expected);
    }
}
