package dev.herald.codegen.maven;

import dev.herald.codegen.GeneratorOptions;
import dev.herald.codegen.IncrementalGenerator;
import dev.herald.schema.RegistryException;
import java.io.File;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Generates Java records, enums, {@code EventType}, {@code ServiceName} and the catalog resources
 * from a Herald schema registry, and adds them to the build. Skips all work when no input changed
 * since the last run (see {@link IncrementalGenerator}).
 *
 * <pre>{@code
 * <plugin>
 *   <groupId>dev.herald</groupId>
 *   <artifactId>herald-maven-plugin</artifactId>
 *   <executions><execution><goals><goal>generate</goal></goals></execution></executions>
 *   <configuration><schemaDirectory>${project.basedir}/../schemas</schemaDirectory></configuration>
 * </plugin>
 * }</pre>
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class GenerateMojo extends AbstractMojo {

    /** The registry folder: {@code registry.json}, {@code events/}, {@code types/}. */
    @Parameter(property = "herald.schemaDirectory", defaultValue = "${project.basedir}/schemas", required = true)
    private File schemaDirectory;

    /** Where the Java sources are written; added as a compile source root. */
    @Parameter(property = "herald.outputDirectory",
            defaultValue = "${project.build.directory}/generated-sources/herald", required = true)
    private File outputDirectory;

    /** Where the catalog resources are written; added as a resource folder. */
    @Parameter(property = "herald.resourceOutputDirectory",
            defaultValue = "${project.build.directory}/generated-resources/herald", required = true)
    private File resourceOutputDirectory;

    /** The package of the generated types; defaults to {@code javaPackage} of {@code registry.json}. */
    @Parameter(property = "herald.packageName")
    private String packageName;

    /** Records with at least this many properties also get a builder. */
    @Parameter(property = "herald.builderThreshold", defaultValue = "5")
    private int builderThreshold;

    /** Generate even when the inputs did not change. */
    @Parameter(property = "herald.force", defaultValue = "false")
    private boolean force;

    /** Skip the goal (the sources are then neither generated nor added). */
    @Parameter(property = "herald.skip", defaultValue = "false")
    private boolean skip;

    /** Where the up-to-date check keeps its fingerprint. */
    @Parameter(defaultValue = "${project.build.directory}/herald/generate.state", readonly = true)
    private File stateFile;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("herald:generate skipped (herald.skip)");
            return;
        }
        if (!schemaDirectory.isDirectory()) {
            throw new MojoFailureException("The schema registry " + schemaDirectory + " is not a folder. Fix: set "
                    + "<schemaDirectory> to the folder holding registry.json, events/ and types/.");
        }
        GeneratorOptions options;
        try {
            options = new GeneratorOptions(blankToNull(packageName), builderThreshold);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException(e.getMessage());
        }
        // normalized, so problems read schemas/events/x/v1.json:3:5 rather than module/../schemas/...
        java.nio.file.Path schemas = schemaDirectory.toPath().toAbsolutePath().normalize();
        long start = System.nanoTime();
        IncrementalGenerator.Result result;
        try {
            result = IncrementalGenerator.run(new IncrementalGenerator.Request(schemas,
                    outputDirectory.toPath(), resourceOutputDirectory.toPath(), stateFile.toPath(), options, force));
        } catch (RegistryException e) {
            // one [ERROR] line per problem, file:line:column first, as editors and CI annotations expect
            List<String> lines = e.problems().stream().map(p -> p.format()).toList();
            lines.forEach(line -> getLog().error(line));
            throw new MojoFailureException("The schema registry has " + lines.size()
                    + (lines.size() == 1 ? " problem" : " problems") + " (listed above); the first: " + lines.get(0));
        } catch (UncheckedIOException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (result.skipped()) {
            getLog().info("Herald sources are up to date (" + result.sources() + " Java files, " + millis
                    + " ms); nothing generated");
        } else {
            getLog().info("Generated " + result.sources() + " Java files and " + result.resources()
                    + " resources from " + schemas + " in " + millis + " ms (" + result.filesWritten()
                    + " changed, " + result.filesDeleted() + " stale removed)");
        }
        project.addCompileSourceRoot(outputDirectory.getAbsolutePath());
        String resources = resourceOutputDirectory.getAbsolutePath();
        if (project.getResources().stream().noneMatch(r -> resources.equals(r.getDirectory()))) {
            Resource resource = new Resource();
            resource.setDirectory(resources);
            project.addResource(resource);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
