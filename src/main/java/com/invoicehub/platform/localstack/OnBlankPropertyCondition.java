package com.invoicehub.platform.localstack;

import java.util.Map;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

class OnBlankPropertyCondition implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnBlankProperty.class.getName());
        String name = (String) attributes.get("value");
        return !StringUtils.hasText(context.getEnvironment().getProperty(name));
    }
}
