package dev.herald.compat;

/**
 * One reported problem. {@code location} is where to fix it (the new file; for a removal, the
 * nearest place that still exists), {@code oldLocation} where the old value was.
 *
 * @param subject       what was compared, e.g. {@code order.created v3 against v2} or {@code registry against git:origin/main}
 * @param relativeFile  the file inside the registry ({@code events/order.created/v3.json}), for exceptions
 * @param note          extra words (an exception that applies or has expired), or empty
 */
public record Finding(Rule rule, Severity severity, Location location, Location oldLocation, String subject,
                      String path, String message, String oldValue, String newValue, String breaks,
                      String relativeFile, String note) {

    public String fix() {
        return rule.fix();
    }

    /** The one-line text form: {@code file:line:col: error [RULE] subject path: message (old: .., new: ..). Fix: ..} */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(location.fileLineColumn()).append(": ").append(severity.id()).append(" [").append(rule.id()).append("] ");
        sb.append(subject);
        if (path != null && !path.isEmpty()) {
            sb.append(" at ").append(path);
        }
        sb.append(": ").append(message);
        if (oldValue != null || newValue != null) {
            sb.append(" (old: ").append(oldValue);
            if (oldLocation != null && !oldLocation.equals(location)) {
                sb.append(" at ").append(oldLocation.fileLineColumn());
            }
            sb.append("; new: ").append(newValue).append(")");
        }
        if (breaks != null && !breaks.isEmpty() && !breaks.equals("none")) {
            sb.append(". Breaks ").append(breaks).append(" compatibility");
        }
        if (note != null && !note.isEmpty()) {
            sb.append(". ").append(note);
        }
        sb.append(". Fix: ").append(fix());
        return sb.toString();
    }
}
