package com.invoicehub.platform.localstack;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when the named setting is missing or blank: that piece is not pointed at a real service, so the
 * local stack starts it embedded.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Conditional(OnBlankPropertyCondition.class)
public @interface ConditionalOnBlankProperty {

    String value();
}
