package dev.herald.compat.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.compat.CompatChecker;
import dev.herald.compat.CompatException;
import dev.herald.compat.Config;
import dev.herald.compat.DocumentSource;
import dev.herald.compat.Gate;
import dev.herald.compat.Json;
import dev.herald.compat.Mode;
import dev.herald.compat.Policy;
import dev.herald.compat.Report;
import dev.herald.compat.Rule;
import dev.herald.compat.report.Format;
import dev.herald.schema.RegistryException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar herald-compat.jar check|diff|rules}. Exit 0 compatible, 1 breaking, 2 usage or
 * input error.
 */
@Command(name = "herald-compat", mixinStandardHelpOptions = true, version = "herald-compat 0.1.0",
        description = "Herald's compatibility gate: fails when a schema change would break a producer or a consumer.",
        subcommands = {HeraldCompat.Check.class, HeraldCompat.Diff.class, HeraldCompat.Rules.class, HeraldCompat.Import.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:compatible", "1:breaking change found", "2:usage or input error"})
public final class HeraldCompat implements Runnable {

    public static final int OK = 0;
    public static final int BREAKING = 1;
    public static final int USAGE = 2;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: check, diff, rules or import");
    }

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the CLI with the given streams; returns the exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new HeraldCompat());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.registerConverter(Format.class, Format::parse);
        cl.registerConverter(Mode.class, Mode::parse);
        cl.registerConverter(Policy.class, Policy::parse);
        cl.setExitCodeExceptionMapper(e -> USAGE);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("herald-compat: " + ex.getMessage());
            ex.getCommandLine().usage(err);
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof CompatException || ex instanceof RegistryException || ex instanceof IllegalArgumentException) {
                err.println("herald-compat: " + ex.getMessage());
            } else {
                err.println("herald-compat: unexpected error: " + ex);
                ex.printStackTrace(err);
            }
            return USAGE;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    static void print(CommandLine.Model.CommandSpec spec, Path output, String text) {
        if (output == null) {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
        } else {
            try {
                if (output.getParent() != null) {
                    Files.createDirectories(output.getParent());
                }
                Files.writeString(output, text);
            } catch (IOException e) {
                throw new CompatException("cannot write " + output + ": " + e.getMessage(), e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Checks every event's versions against each other (per the mode in compat.json, default FULL_TRANSITIVE)",
                    "and, with --against, the registry against a baseline: published files unchanged, nothing deleted."})
    static final class Check implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "SCHEMAS_DIR", defaultValue = "schemas",
                description = "The registry folder (default: ${DEFAULT-VALUE}).")
        Path schemas;

        @Option(names = "--against", paramLabel = "git:REF|DIR",
                description = "Baseline: a git ref (git:origin/main; the registry folder at that ref) or a folder holding the baseline registry.")
        String against;

        @Option(names = {"-f", "--format"}, defaultValue = "text", paramLabel = "FORMAT",
                description = "text, json, sarif, github-actions or junit (default: ${DEFAULT-VALUE}).")
        Format format;

        @Option(names = "--registrations", paramLabel = "redis://HOST:PORT",
                description = "Name in each finding the services of this running bus that listen to the event (read from its Redis), "
                        + "besides those registry.json declares with \"listens\".")
        String registrations;

        @Option(names = "--mode", paramLabel = "MODE", description = "Overrides compat.json: NONE, BACKWARD, FORWARD, FULL, each also _TRANSITIVE.")
        Mode mode;

        @Option(names = "--policy", paramLabel = "POLICY", description = "Overrides compat.json: robust or strict.")
        Policy policy;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
        Path output;

        @Override
        public Integer call() {
            Report report = Gate.run(schemas, against, mode, policy, registrations,
                    note -> spec.commandLine().getErr().println("herald-compat: " + note));
            print(spec, output, format.render(report));
            return report.exitCode();
        }
    }

    // ------------------------------------------------------------------------------------------------

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "Compares two schema files: is NEW a compatible evolution of OLD?")
    static final class Diff implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "OLD.json")
        Path oldFile;

        @Parameters(index = "1", paramLabel = "NEW.json")
        Path newFile;

        @Option(names = "--mode", defaultValue = "FULL", paramLabel = "MODE",
                description = "NONE, BACKWARD, FORWARD or FULL (default: ${DEFAULT-VALUE}).")
        Mode mode;

        @Option(names = "--policy", defaultValue = "robust", paramLabel = "POLICY", description = "robust or strict (default: ${DEFAULT-VALUE}).")
        Policy policy;

        @Option(names = {"-f", "--format"}, defaultValue = "text", paramLabel = "FORMAT",
                description = "text, json, sarif, github-actions or junit (default: ${DEFAULT-VALUE}).")
        Format format;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
        Path output;

        @Override
        public Integer call() {
            Config config = Config.defaults().withMode(mode).withPolicy(policy);
            Report report = new CompatChecker(config).diff(DocumentSource.ofFile(oldFile), DocumentSource.ofFile(newFile));
            print(spec, output, format.render(report));
            return report.exitCode();
        }
    }

    // ------------------------------------------------------------------------------------------------

    @Command(name = "rules", mixinStandardHelpOptions = true, description = "Lists every rule: ID, category, default severity, meaning and fix.")
    static final class Rules implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-f", "--format"}, defaultValue = "text", paramLabel = "FORMAT", description = "text or json (default: ${DEFAULT-VALUE}).")
        String format;

        @Override
        public Integer call() {
            StringBuilder sb = new StringBuilder();
            if (format.equalsIgnoreCase("json")) {
                ArrayNode list = Json.MAPPER.createArrayNode();
                for (Rule r : Rule.values()) {
                    ObjectNode o = list.addObject();
                    o.put("id", r.id());
                    o.put("category", r.category().id());
                    o.put("defaultSeverity", r.defaultSeverity().id());
                    o.put("breaks", r.breaks());
                    o.put("meaning", r.meaning());
                    o.put("fix", r.fix());
                }
                try {
                    sb.append(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(list)).append('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else if (format.equalsIgnoreCase("text")) {
                for (Rule r : Rule.values()) {
                    sb.append(String.format("%-28s %-11s %-7s breaks %-8s %s%n%-28s %s%n", r.id(), r.category().id(), r.defaultSeverity().id(),
                            r.breaks(), r.meaning(), "", "Fix: " + r.fix()));
                }
                sb.append(Rule.values().length).append(" rules\n");
            } else {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown format '" + format + "' (text, json)");
            }
            print(spec, null, sb.toString());
            return OK;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Converts a tree of JSON Schemas (draft-04 to 2019-09, referencing by $id or by path) into a Herald registry,",
                    "mechanically, and lists what it changed. Files under --events become events (issues/opened.schema.json ->",
                    "events/issues.opened/v1.json), the others shared types; then run the generator and the gate on the result."})
    static final class Import implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "SOURCE", description = "the folder of schemas to import")
        Path source;

        @Option(names = "--into", required = true, paramLabel = "DIR", description = "the new registry folder (must not exist or be empty)")
        Path target;

        @Option(names = "--events", defaultValue = "events", paramLabel = "SUBDIR",
                description = "the folder under SOURCE whose files are events (default: ${DEFAULT-VALUE}; \"\": every file not under --types)")
        String events;

        @Option(names = "--types", defaultValue = "", paramLabel = "SUBDIR",
                description = "a folder under SOURCE whose files are shared types even where --events would make them events (e.g. common)")
        String types;

        @Option(names = "--owner", required = true, paramLabel = "SERVICE", description = "the service that sends the imported events (x-owner)")
        String owner;

        @Option(names = "--namespace", defaultValue = "herald", paramLabel = "NS", description = "the registry's namespace (default: ${DEFAULT-VALUE})")
        String namespace;

        @Option(names = "--java-package", required = true, paramLabel = "PACKAGE", description = "the package the SDK is generated into")
        String javaPackage;

        @Override
        public Integer call() {
            dev.herald.schema.importer.SchemaImporter.Report report = dev.herald.schema.importer.SchemaImporter.run(
                    new dev.herald.schema.importer.SchemaImporter.Request(source, events, types, owner, namespace, javaPackage, target));
            print(spec, null, report.describe() + report.files().size() + " files imported into " + target + ", "
                    + report.changes() + " changes; next: generate (mvn herald:generate) and fix what it reports.\n");
            return OK;
        }
    }
}
