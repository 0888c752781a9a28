package com.invoicehub.support;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import com.invoicehub.shared.StandardWebhooks;
import com.invoicehub.partners.PartnerRegistry;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * SQS messages as a partner sends them (CONTRACT §4): body and {@code partnerId}, signed per Standard Webhooks with the
 * partner's signing secret in the {@code webhook-*} attributes; and a look at the dead-letter queue.
 */
@Component
public class SqsMessages {

    private final SqsClient sqs;
    private final Environment environment;
    private final PartnerRegistry partners;

    SqsMessages(SqsClient sqs, Environment environment, PartnerRegistry partners) {
        this.sqs = sqs;
        this.environment = environment;
        this.partners = partners;
    }

    /** Signed with the partner's current secret, a fresh webhook-id and now; answers the webhook-id. */
    public String send(String partnerId, String body) {
        String webhookId = "msg_" + TestData.id("sqs");
        send(partnerId, webhookId, body);
        return webhookId;
    }

    public void send(String partnerId, String webhookId, String body) {
        sendRaw(body, signed(partnerId, partners.signingSecret(partnerId), webhookId,
                Instant.now().getEpochSecond(), body));
    }

    /** Sends the body with exactly these attributes to the partner queue; answers the SQS message id. */
    public String sendRaw(String body, Map<String, MessageAttributeValue> attributes) {
        return sqs.sendMessage(b -> b.queueUrl(queueUrl()).messageBody(body).messageAttributes(attributes))
                .messageId();
    }

    /** The attributes of a message signed with {@code secret}, claiming to be {@code partnerId}'s. */
    public static Map<String, MessageAttributeValue> signed(String partnerId, String secret, String webhookId,
                                                            long timestamp, String body) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put("partnerId", text(partnerId));
        attributes.put("webhook-id", text(webhookId));
        attributes.put("webhook-timestamp", text(Long.toString(timestamp)));
        attributes.put("webhook-signature", text(StandardWebhooks.sign(secret, webhookId, timestamp,
                body.getBytes(StandardCharsets.UTF_8))));
        return attributes;
    }

    public static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    public String signingSecret(String partnerId) {
        return partners.signingSecret(partnerId);
    }

    public String queueUrl() {
        return environment.getProperty("hub.sqs.queue-url");
    }

    /**
     * Empties the dead-letter queue: a test that dead-letters messages on purpose leaves none behind, since the
     * reconciliation counts every dead letter as unexplained.
     */
    public void clearDeadLetters() {
        sqs.purgeQueue(b -> b.queueUrl(deadLetterQueueUrl()));
    }

    public String deadLetterQueueUrl() {
        return environment.getProperty("hub.sqs.dead-letter-queue-url");
    }

    /**
     * The dead-letter queue's messages whose body contains {@code text}, read the way an outside tool peeks: each is
     * hidden while the queue is scanned, then made visible again.
     */
    public List<Message> deadLettersContaining(String text) {
        List<Message> read = new java.util.ArrayList<>();
        for (int round = 0; round < 100; round++) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(deadLetterQueueUrl()).maxNumberOfMessages(10)
                    .visibilityTimeout(10).messageAttributeNames("All")).messages();
            if (batch.isEmpty()) {
                break;
            }
            read.addAll(batch);
        }
        for (Message message : read) {
            sqs.changeMessageVisibility(b -> b.queueUrl(deadLetterQueueUrl()).receiptHandle(message.receiptHandle())
                    .visibilityTimeout(0));
        }
        return read.stream().filter(message -> message.body().contains(text)).toList();
    }
}
