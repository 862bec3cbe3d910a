package com.example.it.app;

import com.example.it.EventType;
import com.example.it.GreetingSent;
import com.example.it.Person;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Hand-written code using the generated types; compiled with -Xlint:all -Werror. */
public final class Greeter {

    private Greeter() {
    }

    public static GreetingSent greet(String name) {
        return new GreetingSent(UUID.randomUUID(), new Person(name, Person.Language.FR), Instant.now(),
                List.of("bonjour"));
    }

    public static String wireName() {
        return EventType.GREETING_SENT.wireName();
    }
}
