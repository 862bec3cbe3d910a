package dev.herald.spring.test;

import dev.herald.testkit.HeraldExtension;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

import java.util.List;

/** Makes {@link EmbeddedHerald} work: registered in META-INF/spring.factories for Spring's test context. */
public class EmbeddedHeraldContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        return AnnotatedElementUtils.hasAnnotation(testClass, EmbeddedHerald.class) ? new Customizer() : null;
    }

    /** One Herald for the JVM: every context that asks shares it, as they would share a Redis. */
    static final class Shared {
        static final HeraldExtension HERALD = start();

        private static HeraldExtension start() {
            HeraldExtension h = HeraldExtension.builder().flushAfterEach(false).build();
            h.start();
            Runtime.getRuntime().addShutdownHook(new Thread(h::stop, "herald-embedded-stop"));
            return h;
        }
    }

    static final class Customizer implements ContextCustomizer {
        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            TestPropertyValues.of("herald.redis.url=" + Shared.HERALD.redisUrl()).applyTo(context);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Customizer;
        }

        @Override
        public int hashCode() {
            return Customizer.class.hashCode();
        }
    }
}
