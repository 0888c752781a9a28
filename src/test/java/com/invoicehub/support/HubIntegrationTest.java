package com.invoicehub.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The one Spring context every integration test shares (same annotations, so Spring caches it): the whole hub
 * on its local stack, each embedded server real and on a free port. Not {@code @CamelSpringBootTest}: it turns
 * JMX off for the whole JVM, and Hawtio/Jolokia are under test here; Camel runs exactly as in production. Tagged
 * {@code integration}: Failsafe runs these after the Spring-free tests (Surefire), both in {@code ./mvnw verify}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("integration")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public @interface HubIntegrationTest {
}
