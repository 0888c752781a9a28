package com.invoicehub.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The one Spring context every integration test shares (same annotations, so Spring caches it): the whole hub
 * on its local stack, each embedded server real and on a free port. Not {@code @CamelSpringBootTest}: it turns
 * JMX off for the whole JVM, and Hawtio/Jolokia are under test here; Camel runs exactly as in production.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public @interface HubIntegrationTest {
}
