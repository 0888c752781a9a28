package com.invoicehub.platform.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The {@code queues} component of {@code /actuator/health}, part of readiness: UP when the partner queue and its
 * dead-letter queue answer. One answer is reused for {@link #REUSE} so that probes from the orchestrator and the
 * proxy on every node cost SQS one call each few seconds, and one call waits {@link #CALL_TIMEOUT} at most, so an
 * unanswering SQS turns readiness DOWN instead of hanging the probe.
 */
@Component("queuesHealthIndicator")
class QueuesHealth implements HealthIndicator {

    static final Duration REUSE = Duration.ofSeconds(5);
    /** Both calls fit in the probes' 5 s timeout (Kubernetes, HAProxy's timeout check). */
    static final Duration CALL_TIMEOUT = Duration.ofMillis(1500);

    private record Checked(Health health, Instant at) {
    }

    private final SqsClient sqs;
    private final Supplier<String> queueUrl;
    private final Supplier<String> deadLetterQueueUrl;
    private final Clock clock;
    private volatile Checked last;

    @Autowired
    QueuesHealth(SqsClient sqs, BucketsAndQueues queues, Clock clock) {
        this(sqs, queues::queueUrl, queues::deadLetterQueueUrl, clock);
    }

    QueuesHealth(SqsClient sqs, Supplier<String> queueUrl, Supplier<String> deadLetterQueueUrl, Clock clock) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
        this.clock = clock;
    }

    @Override
    public Health health() {
        Checked checked = last;
        Instant now = clock.instant();
        if (checked == null || !checked.at().plus(REUSE).isAfter(now)) {
            checked = new Checked(check(), now);
            last = checked;
        }
        return checked.health();
    }

    private Health check() {
        try {
            return Health.up().withDetails(Map.of(
                    "queue", waiting(queueUrl.get()),
                    "deadLetterQueue", waiting(deadLetterQueueUrl.get()))).build();
        } catch (SdkException e) {
            return Health.down().withDetail("reason", String.valueOf(e.getMessage())).build();
        }
    }

    private Map<String, Object> waiting(String queueUrl) {
        String messages = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                        .overrideConfiguration(c -> c.apiCallTimeout(CALL_TIMEOUT)))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        return Map.of("url", queueUrl, "approximateMessages", messages == null ? "?" : messages);
    }
}
