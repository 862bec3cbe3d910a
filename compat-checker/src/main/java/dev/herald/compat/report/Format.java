package dev.herald.compat.report;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.compat.Finding;
import dev.herald.compat.Json;
import dev.herald.compat.Location;
import dev.herald.compat.Report;
import dev.herald.compat.Rule;
import dev.herald.compat.Severity;
import java.util.Locale;

/** The report formats: text, json, sarif (2.1.0), github-actions, junit (XML). */
public enum Format {
    TEXT, JSON, SARIF, GITHUB_ACTIONS, JUNIT;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Format parse(String text) {
        for (Format f : values()) {
            if (f.id().equalsIgnoreCase(text) || f.name().equalsIgnoreCase(text)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + text + "' (text, json, sarif, github-actions, junit)");
    }

    /** The whole report in this format, ending with a newline. */
    public String render(Report report) {
        return switch (this) {
            case TEXT -> text(report);
            case JSON -> json(report);
            case SARIF -> sarif(report);
            case GITHUB_ACTIONS -> github(report);
            case JUNIT -> junit(report);
        };
    }

    private static String text(Report r) {
        StringBuilder sb = new StringBuilder();
        for (Finding f : r.findings()) {
            sb.append(f.format()).append('\n');
        }
        sb.append(r.summary()).append('\n');
        return sb.toString();
    }

    private static ObjectNode location(Location l) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("file", l.file());
        o.put("line", l.line());
        o.put("column", l.column());
        o.put("pointer", l.pointer());
        return o;
    }

    private static String json(Report r) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("passed", r.passed());
        root.put("mode", r.mode().name());
        root.put("policy", r.policy().id());
        if (r.baseline() != null) {
            root.put("baseline", r.baseline());
        }
        root.put("errors", r.count(Severity.ERROR));
        root.put("warnings", r.count(Severity.WARNING));
        root.put("infos", r.count(Severity.INFO));
        ArrayNode list = root.putArray("findings");
        for (Finding f : r.findings()) {
            ObjectNode o = list.addObject();
            o.put("rule", f.rule().id());
            o.put("category", f.rule().category().id());
            o.put("severity", f.severity().id());
            o.put("subject", f.subject());
            o.put("path", f.path());
            o.put("message", f.message());
            o.put("old", f.oldValue());
            o.put("new", f.newValue());
            o.put("breaks", f.breaks());
            o.set("location", location(f.location()));
            if (f.oldLocation() != null) {
                o.set("oldLocation", location(f.oldLocation()));
            }
            if (!f.note().isEmpty()) {
                o.put("note", f.note());
            }
            o.put("fix", f.fix());
        }
        root.put("summary", r.summary());
        return pretty(root);
    }

    private static String pretty(Object node) {
        try {
            return Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node).replace("\r\n", "\n") + "\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sarif(Report r) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "herald-compat");
        ArrayNode rules = driver.putArray("rules");
        for (Rule rule : Rule.values()) {
            ObjectNode o = rules.addObject();
            o.put("id", rule.id());
            o.putObject("shortDescription").put("text", rule.meaning());
            o.putObject("help").put("text", "Fix: " + rule.fix());
            o.putObject("defaultConfiguration").put("level", level(rule.defaultSeverity()));
            o.putObject("properties").put("category", rule.category().id());
        }
        ArrayNode results = run.putArray("results");
        for (Finding f : r.findings()) {
            ObjectNode o = results.addObject();
            o.put("ruleId", f.rule().id());
            o.put("ruleIndex", f.rule().ordinal());
            o.put("level", level(f.severity()));
            o.putObject("message").put("text", f.subject() + (f.path().isEmpty() ? "" : " at " + f.path()) + ": " + f.message()
                    + " (old: " + f.oldValue() + "; new: " + f.newValue() + ")" + (f.note().isEmpty() ? "" : ". " + f.note()) + ". Fix: " + f.fix());
            ObjectNode loc = o.putArray("locations").addObject().putObject("physicalLocation");
            loc.putObject("artifactLocation").put("uri", uri(f.location().file()));
            if (f.location().hasPosition()) {
                ObjectNode region = loc.putObject("region");
                region.put("startLine", f.location().line());
                region.put("startColumn", f.location().column());
            }
            if (f.oldLocation() != null && f.oldLocation().hasPosition() && uri(f.oldLocation().file()) != null) {
                ObjectNode rel = o.putArray("relatedLocations").addObject();
                rel.put("id", 1);
                ObjectNode pl = rel.putObject("physicalLocation");
                pl.putObject("artifactLocation").put("uri", uri(f.oldLocation().file()));
                pl.putObject("region").put("startLine", f.oldLocation().line()).put("startColumn", f.oldLocation().column());
                rel.putObject("message").put("text", "old value: " + f.oldValue());
            }
            o.putObject("properties").put("category", f.rule().category().id()).put("path", f.path());
        }
        return pretty(root);
    }

    /**
     * A SARIF artifact URI: relative paths as they are, absolute ones as file: URIs; null for a
     * git baseline path ({@code origin/main:schemas/...}), which no URI can name.
     */
    private static String uri(String file) {
        if (file.startsWith("/")) {
            return java.nio.file.Path.of(file).toUri().toString();
        }
        if (file.contains(":")) {
            return null;
        }
        return file.replace(" ", "%20");
    }

    private static String level(Severity s) {
        return switch (s) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case INFO -> "note";
        };
    }

    /** GitHub Actions workflow commands; data and properties escaped as the runner requires. */
    private static String github(Report r) {
        StringBuilder sb = new StringBuilder();
        for (Finding f : r.findings()) {
            String cmd = switch (f.severity()) {
                case ERROR -> "error";
                case WARNING -> "warning";
                case INFO -> "notice";
            };
            sb.append("::").append(cmd).append(" file=").append(prop(f.location().file()));
            if (f.location().hasPosition()) {
                sb.append(",line=").append(f.location().line()).append(",col=").append(f.location().column());
            }
            sb.append(",title=").append(prop(f.rule().id())).append("::");
            sb.append(data(f.subject() + (f.path().isEmpty() ? "" : " at " + f.path()) + ": " + f.message()
                    + " (old: " + f.oldValue() + "; new: " + f.newValue() + ")" + (f.note().isEmpty() ? "" : ". " + f.note()) + ". Fix: " + f.fix()));
            sb.append('\n');
        }
        sb.append(r.summary()).append('\n');
        return sb.toString();
    }

    private static String data(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static String prop(String s) {
        return data(s).replace(":", "%3A").replace(",", "%2C");
    }

    /** One test case per finding (failure for errors), so CI test reports list them. */
    private static String junit(Report r) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        long errors = r.count(Severity.ERROR);
        sb.append("<testsuite name=\"herald-compat\" tests=\"").append(Math.max(1, r.findings().size()))
                .append("\" failures=\"").append(errors).append("\" errors=\"0\" skipped=\"0\">\n");
        if (r.findings().isEmpty()) {
            sb.append("  <testcase classname=\"herald-compat\" name=\"").append(xml(r.summary())).append("\"/>\n");
        }
        for (Finding f : r.findings()) {
            sb.append("  <testcase classname=\"").append(xml(f.location().file())).append("\" name=\"")
                    .append(xml("[" + f.rule().id() + "] " + f.subject() + (f.path().isEmpty() ? "" : " at " + f.path()))).append("\"");
            if (f.severity() == Severity.ERROR) {
                sb.append(">\n    <failure type=\"").append(f.rule().id()).append("\" message=\"").append(xml(f.message())).append("\">")
                        .append(xml(f.format())).append("</failure>\n  </testcase>\n");
            } else {
                sb.append(">\n    <system-out>").append(xml(f.format())).append("</system-out>\n  </testcase>\n");
            }
        }
        sb.append("  <system-out>").append(xml(r.summary())).append("</system-out>\n");
        sb.append("</testsuite>\n");
        return sb.toString();
    }

    private static String xml(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
                        sb.append('?');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
