package dev.herald.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a Spring Boot test class: an embedded Redis and an in-process broker (Herald's test kit) are
 * started once for the test JVM, and {@code herald.redis.url} points at them. Needs
 * {@code herald-test-kit} on the test class path.
 *
 * <pre>
 * &#64;SpringBootTest(properties = "herald.service=payment")
 * &#64;EmbeddedHerald
 * class ChargesTest { ... }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface EmbeddedHerald {
}
