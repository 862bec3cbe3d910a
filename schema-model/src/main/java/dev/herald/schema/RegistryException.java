package dev.herald.schema;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The registry (or one schema file) cannot be used. Carries every problem found, not only the
 * first, so that one build run shows the author everything to mend.
 */
public class RegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public RegistryException(List<Problem> problems) {
        super(describe(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a RegistryException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public RegistryException(Problem problem) {
        this(List.of(problem));
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String describe(List<Problem> problems) {
        String header = problems.size() == 1
                ? "The schema registry has 1 problem:"
                : "The schema registry has " + problems.size() + " problems:";
        return problems.stream().map(Problem::format).collect(Collectors.joining("\n", header + "\n", ""));
    }
}
