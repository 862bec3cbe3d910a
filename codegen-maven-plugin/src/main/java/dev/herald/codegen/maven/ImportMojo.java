package dev.herald.codegen.maven;

import dev.herald.schema.importer.SchemaImporter;
import java.io.File;
import java.io.UncheckedIOException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Converts a tree of JSON Schemas (draft-04 to 2019-09, referencing by {@code $id} or by path)
 * into a Herald registry, once, and logs what it changed; the CLI's {@code herald-compat import}
 * does the same. Not bound to a phase: run it by hand.
 *
 * <pre>
 * mvn dev.herald:herald-maven-plugin:import -Dherald.import.source=legacy-schemas -Dherald.import.owner=order \
 *     -Dherald.import.javaPackage=com.example.events
 * </pre>
 */
@Mojo(name = "import", requiresProject = false, threadSafe = true)
public class ImportMojo extends AbstractMojo {

    /** The folder of schemas to import. */
    @Parameter(property = "herald.import.source", required = true)
    private File source;

    /** The new registry folder; must not exist or be empty. */
    @Parameter(property = "herald.import.into", defaultValue = "schemas", required = true)
    private File into;

    /** The folder under {@code source} whose files are events. */
    @Parameter(property = "herald.import.events", defaultValue = "events")
    private String events;

    /** A folder under {@code source} whose files are shared types even where {@code events} would make them events. */
    @Parameter(property = "herald.import.types", defaultValue = "")
    private String types;

    /** The service that sends the imported events ({@code x-owner}). */
    @Parameter(property = "herald.import.owner", required = true)
    private String owner;

    /** The registry's namespace. */
    @Parameter(property = "herald.import.namespace", defaultValue = "herald")
    private String namespace;

    /** The package the SDK is generated into. */
    @Parameter(property = "herald.import.javaPackage", required = true)
    private String javaPackage;

    @Override
    public void execute() throws MojoFailureException {
        try {
            SchemaImporter.Report report = SchemaImporter.run(new SchemaImporter.Request(source.toPath(), events, types, owner, namespace,
                    javaPackage, into.toPath()));
            for (String line : report.describe().split("\n")) {
                getLog().info(line);
            }
            getLog().info(report.files().size() + " files imported into " + into + ", " + report.changes()
                    + " changes; next: generate (herald:generate) and fix what it reports");
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new MojoFailureException("herald:import: " + e.getMessage(), e);
        }
    }
}
