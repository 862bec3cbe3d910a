package com.example.payments;

import com.example.payments.events.GreetingSent;
import com.example.payments.events.Person;
import com.example.payments.events.ServiceName;
import dev.herald.runtime.Messenger;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A service's own code on the generated types and the runtime, as the README's project has it. */
public final class Greetings {

    private Greetings() {
    }

    public static void greet(Messenger messenger, String name) {
        messenger.send(new GreetingSent(UUID.randomUUID(), new Person(name, Person.Language.FR), Instant.now(), List.of("bonjour")));
    }

    public static Messenger.Builder greeter(String redisUrl) {
        return Messenger.builder().service(ServiceName.GREETER).redisUrl(redisUrl);
    }
}
