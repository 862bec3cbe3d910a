package dev.herald.compat;

import java.util.List;

/**
 * The result of a check: every finding, what was checked, and the verdict. {@code unchanged}
 * counts the events whose files (and the shared types, and compat.json) are the baseline's byte
 * for byte: their versions are not compared again, their verdict is the baseline's.
 */
public record Report(List<Finding> findings, Mode mode, Policy policy, String baseline, int events, int versions, int unchanged) {

    public long count(Severity s) {
        return findings.stream().filter(f -> f.severity() == s).count();
    }

    public boolean passed() {
        return count(Severity.ERROR) == 0;
    }

    /** 0 compatible, 1 breaking. (2, a usage or input error, never gets as far as a report.) */
    public int exitCode() {
        return passed() ? 0 : 1;
    }

    public String summary() {
        long e = count(Severity.ERROR);
        long w = count(Severity.WARNING);
        String what = events >= 0 ? events + (events == 1 ? " event" : " events") + ", " + versions + (versions == 1 ? " version" : " versions")
                + (unchanged > 0 ? ", " + unchanged + (unchanged == 1 ? " event" : " events") + " unchanged since the baseline and not compared again" : "")
                : "2 schemas";
        return (passed() ? "PASSED" : "FAILED") + ": " + e + (e == 1 ? " error" : " errors") + ", " + w + (w == 1 ? " warning" : " warnings")
                + " (" + what + "; mode " + mode + ", policy " + policy.id()
                + (baseline == null ? "" : ", baseline " + baseline) + ")";
    }
}
