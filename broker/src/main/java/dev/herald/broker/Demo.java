package dev.herald.broker;

import org.redisson.api.RedissonClient;

import java.io.PrintStream;

/** Placeholder until the generated shop SDK lands; replaced by the typed demo. */
final class Demo {

    private Demo() {
    }

    static AutoCloseable start(RedissonClient client, Broker broker, PrintStream out) {
        out.println("demo: the generated shop SDK is not on the class path of this build");
        return () -> { };
    }
}
