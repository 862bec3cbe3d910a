package dev.herald.runtime;

/**
 * Where sends, broker routing and handler runs become spans of the caller's traces. The default
 * ({@link #detect}) is {@code dev.herald.runtime.otel.OpenTelemetryTracing} on the global
 * OpenTelemetry when its API is on the class path, else {@link #NONE}; without a tracer Herald still
 * carries the trace along: a send from inside a handler continues the handled event's trace
 * ({@link TraceContext}).
 */
public interface BusTracing {

    /** No spans; trace context is carried by {@link TraceContext} alone. */
    BusTracing NONE = new BusTracing() {
    };

    /** One send under way: the context to write into the envelope, ended once Redis answered. */
    interface Send {
        Send NONE = new Send() {
        };

        /** W3C {@code traceparent} for the envelope, or null: Herald's own ({@link TraceContext#forSend}). */
        default String traceparent() {
            return null;
        }

        /** W3C {@code tracestate}, or null. */
        default String tracestate() {
            return null;
        }

        default void end(Throwable error) {
        }
    }

    /** One handler run (or a broker's routing of one entry), current on its thread until closed. */
    interface Process extends AutoCloseable {
        Process NONE = new Process() {
        };

        default void failed(Throwable error) {
        }

        @Override
        default void close() {
        }
    }

    /** Called as {@code service} starts to send an event of {@code type}. */
    default Send startSend(String service, String type, String eventId) {
        return Send.NONE;
    }

    /**
     * Called before a handler of {@code service} (its consumer group {@code group}) runs {@code
     * envelope}, on the thread that runs it; or by a broker ({@code service} null) routing it.
     */
    default Process startProcess(String service, String group, Envelope envelope, int attempt) {
        return Process.NONE;
    }

    /** OpenTelemetry's global instance if its API is on the class path, else {@link #NONE}. */
    static BusTracing detect() {
        try {
            Class.forName("io.opentelemetry.api.GlobalOpenTelemetry", false, BusTracing.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError absent) {
            return NONE;
        }
        return dev.herald.runtime.otel.OpenTelemetryTracing.global();
    }
}
