package dev.herald.runtime;

import org.redisson.api.RFuture;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The reply of one command of a pipeline. Redis runs each command of a pipeline on its own, so
 * workers and brokers look at each write's reply before they acknowledge what depended on it.
 */
public final class Replies {

    private Replies() {
    }

    /** Null if the command succeeded, else what Redis (or the client) said. */
    public static String failure(RFuture<?> reply) {
        CompletableFuture<?> f = reply.toCompletableFuture();
        if (!f.isDone()) {
            return "no reply from Redis";
        }
        if (!f.isCompletedExceptionally()) {
            return null;
        }
        try {
            f.join();
            return "failed";
        } catch (CompletionException | CancellationException e) {
            return String.valueOf(e.getCause() != null ? e.getCause() : e);
        }
    }
}
