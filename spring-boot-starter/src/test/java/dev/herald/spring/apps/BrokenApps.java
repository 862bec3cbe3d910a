package dev.herald.spring.apps;

import dev.herald.sdk.OrderCreated;
import dev.herald.spring.HeraldListener;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** Applications that must not start, each for one mistake. */
public final class BrokenApps {

    private BrokenApps() {
    }

    public static class NotAnEvent {
        @HeraldListener
        void on(String text) {
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(NotAnEvent.class)
    public static class ListenerTakesNoEvent {
    }

    public static class FirstCharges {
        @HeraldListener
        void on(OrderCreated order) {
        }
    }

    public static class SecondCharges {
        @HeraldListener
        void charge(OrderCreated order) {
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({FirstCharges.class, SecondCharges.class})
    public static class TwoListenersForOneEvent {
    }
}
