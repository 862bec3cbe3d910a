package dev.herald.codegen.maven;

import dev.herald.compat.CompatException;
import dev.herald.compat.Finding;
import dev.herald.compat.Gate;
import dev.herald.compat.Mode;
import dev.herald.compat.Policy;
import dev.herald.compat.Report;
import dev.herald.compat.report.Format;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The compatibility gate ({@code mvn herald:check-compat}): fails the build when a schema change
 * would break a producer or a consumer, listing every finding with file, line, rule and fix. Bound
 * to {@code verify} by default. Mode and policy come from {@code compat.json} in the registry
 * (default FULL_TRANSITIVE, robust); see docs/compatibility.md.
 *
 * <pre>{@code
 * <plugin>
 *   <groupId>dev.herald</groupId>
 *   <artifactId>herald-maven-plugin</artifactId>
 *   <executions><execution><goals><goal>check-compat</goal></goals></execution></executions>
 *   <configuration>
 *     <schemaDirectory>${project.basedir}/../schemas</schemaDirectory>
 *     <against>git:origin/main</against>   <!-- optional baseline: a git ref or a folder -->
 *   </configuration>
 * </plugin>
 * }</pre>
 */
@Mojo(name = "check-compat", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class CheckCompatMojo extends AbstractMojo {

    /** The registry folder: {@code registry.json}, {@code events/}, {@code types/}, {@code compat.json}. */
    @Parameter(property = "herald.schemaDirectory", defaultValue = "${project.basedir}/schemas", required = true)
    private File schemaDirectory;

    /**
     * The baseline: {@code git:REF} (the registry folder at that ref, e.g. {@code git:origin/main}) or
     * a folder holding the baseline registry. Without it, only the versions are checked against each other.
     */
    @Parameter(property = "herald.compat.against")
    private String against;

    /** Overrides the mode of compat.json: NONE, BACKWARD, FORWARD, FULL, each also _TRANSITIVE. */
    @Parameter(property = "herald.compat.mode")
    private String mode;

    /** Overrides the policy of compat.json: robust or strict. */
    @Parameter(property = "herald.compat.policy")
    private String policy;

    /** Also write the report to this file (format from {@code reportFormat}), e.g. for SARIF upload. */
    @Parameter(property = "herald.compat.reportFile")
    private File reportFile;

    /** text, json, sarif, github-actions or junit. */
    @Parameter(property = "herald.compat.reportFormat", defaultValue = "text")
    private String reportFormat;

    /** Fail the build on an error finding (set to false to only report). */
    @Parameter(property = "herald.compat.failOnError", defaultValue = "true")
    private boolean failOnError;

    /** Skip the gate. */
    @Parameter(property = "herald.compat.skip", defaultValue = "false")
    private boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("herald:check-compat skipped (herald.compat.skip)");
            return;
        }
        Report report;
        Format format;
        try {
            format = Format.parse(reportFormat);
            report = Gate.run(shown(schemaDirectory.toPath()), blankToNull(against),
                    blankToNull(mode) == null ? null : Mode.parse(mode),
                    blankToNull(policy) == null ? null : Policy.parse(policy),
                    note -> getLog().info("herald:check-compat: " + (blankToNull(against) == null
                            ? "no baseline: versions are checked against each other, but published files are not guarded against "
                                    + "edits and deletions (set <against>git:origin/main</against> or -Dherald.compat.against=git:origin/main)"
                            : note)));
        } catch (CompatException | IllegalArgumentException e) {
            for (String line : e.getMessage().split("\n")) {
                getLog().error(line);
            }
            throw new MojoFailureException("herald:check-compat could not run: " + e.getMessage().split("\n")[0]);
        }
        for (Finding f : report.findings()) {
            switch (f.severity()) {
                case ERROR -> getLog().error(f.format());
                case WARNING -> getLog().warn(f.format());
                case INFO -> getLog().info(f.format());
            }
        }
        getLog().info("herald:check-compat " + report.summary());
        if (reportFile != null) {
            try {
                Path file = reportFile.toPath();
                if (file.getParent() != null) {
                    Files.createDirectories(file.getParent());
                }
                Files.writeString(file, format.render(report));
            } catch (IOException e) {
                throw new MojoExecutionException("cannot write " + reportFile + ": " + e.getMessage(), e);
            }
        }
        if (!report.passed() && failOnError) {
            throw new MojoFailureException("Schema compatibility check " + report.summary()
                    + ". Each error above names the file, line, rule and fix; rules and exceptions: docs/compatibility.md.");
        }
    }

    /** The folder relative to the working directory when below it, so findings read schemas/events/... */
    private static Path shown(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        return abs.startsWith(cwd) && !abs.equals(cwd) ? cwd.relativize(abs) : abs;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
