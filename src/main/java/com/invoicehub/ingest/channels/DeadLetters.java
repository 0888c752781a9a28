package com.invoicehub.ingest.channels;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.NamedInterface;
import org.springframework.stereotype.Component;

import com.invoicehub.ingest.DeadLetterCount;
import com.invoicehub.platform.audit.AuditLog;
import com.invoicehub.platform.aws.BucketsAndQueues;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The SQS dead-letter queue as ops see it: its depth (gauge {@code hub_sqs_dead_letters}, and {@link #count()} for the
 * reconciliation), its messages with the reason each is there, and a redrive that sends a message back to the partner
 * queue (as it was sent: body and the partner's attributes) and removes it from the dead-letter queue. A redriven
 * message is judged afresh; its webhook-id makes it the same receipt if it had been applied before.
 * <p>
 * SQS cannot be browsed: a listing receives the messages (each hidden for {@value #PEEK_SECONDS} s while the queue is
 * read) and makes them visible again at once, so two listings at the same moment may each see part of the queue.
 */
@Component
@NamedInterface("dead-letters") // the console lists, redrives and discards them
public class DeadLetters implements DeadLetterCount {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    static final int PEEK_SECONDS = 30;
    private static final int PREVIEW_CHARS = 200;
    private static final int MAX_SCAN = 1000;
    private static final long GAUGE_CACHE_MILLIS = 10_000;
    /** Why a message is there when the hub did not say: the queue's redrive policy moved it. */
    public static final String RECEIVE_LIMIT = "RECEIVE_LIMIT";

    /** A message in the dead-letter queue; {@code partnerId} and {@code webhookId} are what the message claims. */
    @NamedInterface("dead-letters")
    public record DeadLetter(String id, String partnerId, String webhookId, String reason, String reasonDetail,
                             String originalMessageId, Instant sentAt, Instant deadLetteredAt, int receiveCount,
                             int bodyBytes, String bodyPreview) {
    }

    private final SqsClient sqs;
    private final BucketsAndQueues queues;
    private final AuditLog audit;
    private volatile double cachedCount = Double.NaN;
    private volatile long cachedAt;

    DeadLetters(SqsClient sqs, BucketsAndQueues queues, AuditLog audit, MeterRegistry metrics) {
        this.sqs = sqs;
        this.queues = queues;
        this.audit = audit;
        Gauge.builder("hub.sqs.dead.letters", this, DeadLetters::gaugeValue)
                .description("messages in the SQS dead-letter queue (approximate, as SQS counts)")
                .register(metrics);
    }

    @Override
    public long count() {
        Map<String, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queues.deadLetterQueueUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributesAsStrings();
        return attributes.values().stream().mapToLong(Long::parseLong).sum();
    }

    /** Up to {@code max} of its messages (at most 1000). */
    public List<DeadLetter> list(int max) {
        List<Message> read = receiveUpTo(Math.min(max, MAX_SCAN));
        try {
            return read.stream().map(DeadLetters::view).toList();
        } finally {
            release(read);
        }
    }

    /** Sends the message back to the partner queue and removes it here; answers it, or 404 when it is not here. */
    public DeadLetter redrive(String id) {
        List<Message> read = receiveUpTo(MAX_SCAN);
        Optional<Message> found = read.stream().filter(message -> message.messageId().equals(id)).findFirst();
        try {
            Message message = found.orElseThrow(() -> new DeadLetterNotFound(id));
            send(message);
            return view(message);
        } finally {
            release(read.stream().filter(message -> found.isEmpty() || message != found.get()).toList());
        }
    }

    /**
     * Removes a message ops judged never to be applied (forged, or sent by mistake), keeping its body and reason in
     * the audit log; answers it, or 404 when it is not here.
     */
    public DeadLetter discard(String id) {
        List<Message> read = receiveUpTo(MAX_SCAN);
        Optional<Message> found = read.stream().filter(message -> message.messageId().equals(id)).findFirst();
        try {
            Message message = found.orElseThrow(() -> new DeadLetterNotFound(id));
            sqs.deleteMessage(b -> b.queueUrl(queues.deadLetterQueueUrl()).receiptHandle(message.receiptHandle()));
            DeadLetter view = view(message);
            audit.record("sqs.dead-letter.discarded", "sqs-message", message.messageId(),
                    Map.of("queue", "dead-letter", "reason", view.reason(), "body", message.body()), Map.of());
            return view;
        } finally {
            release(read.stream().filter(message -> found.isEmpty() || message != found.get()).toList());
        }
    }

    /**
     * Sends every message that was in the queue when the call began back to the partner queue; one the hub refuses
     * again comes back here as a new message and is left for the next look.
     */
    public int redriveAll() {
        long started = Instant.now().toEpochMilli(); // compared with SQS's SentTimestamp: wall time, not the hub's clock
        int redriven = 0;
        List<Message> newer = new ArrayList<>();
        for (int round = 0; round < MAX_SCAN / 10; round++) {
            List<Message> batch = receive(10);
            if (batch.isEmpty()) {
                break;
            }
            for (Message message : batch) {
                if (sentAt(message) != null && sentAt(message).toEpochMilli() > started) {
                    newer.add(message);
                } else {
                    send(message);
                    redriven++;
                }
            }
        }
        release(newer);
        return redriven;
    }

    private void send(Message message) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        for (String name : SqsLineItems.PARTNER_ATTRIBUTES) {
            MessageAttributeValue value = message.messageAttributes().get(name);
            if (value != null) {
                attributes.put(name, value);
            }
        }
        String sentAs = sqs.sendMessage(b -> b.queueUrl(queues.queueUrl()).messageBody(message.body())
                .messageAttributes(attributes)).messageId();
        sqs.deleteMessage(b -> b.queueUrl(queues.deadLetterQueueUrl()).receiptHandle(message.receiptHandle()));
        DeadLetter view = view(message);
        audit.record("sqs.dead-letter.redriven", "sqs-message", message.messageId(),
                Map.of("queue", "dead-letter", "reason", view.reason()),
                Map.of("queue", "partner-line-items", "messageId", sentAs));
        log.info("Dead letter {} (partnerId claim {}, {}) redriven to the partner queue as {}", message.messageId(),
                SqsLineItems.printable(view.partnerId()), view.reason(), sentAs);
    }

    private List<Message> receiveUpTo(int max) {
        List<Message> read = new ArrayList<>();
        while (read.size() < max) {
            List<Message> batch = receive(Math.min(10, max - read.size()));
            if (batch.isEmpty()) {
                break;
            }
            read.addAll(batch);
        }
        return read;
    }

    private List<Message> receive(int max) {
        return sqs.receiveMessage(b -> b.queueUrl(queues.deadLetterQueueUrl()).maxNumberOfMessages(max)
                .visibilityTimeout(PEEK_SECONDS).waitTimeSeconds(1).messageAttributeNames("All")
                .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP,
                        MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
    }

    /** Makes messages read for a look visible again. */
    private void release(List<Message> messages) {
        for (Message message : messages) {
            try {
                sqs.changeMessageVisibility(b -> b.queueUrl(queues.deadLetterQueueUrl())
                        .receiptHandle(message.receiptHandle()).visibilityTimeout(0));
            } catch (RuntimeException e) {
                log.debug("Dead letter {} stays hidden until its {} s are over: {}", message.messageId(),
                        PEEK_SECONDS, e.toString());
            }
        }
    }

    private static DeadLetter view(Message message) {
        String reason = attribute(message, SqsLineItems.REASON);
        int receives = Integer.parseInt(message.attributes()
                .getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "0"));
        String detail = reason != null ? attribute(message, SqsLineItems.REASON_DETAIL)
                : "moved by the queue's redrive policy: it failed on every receive";
        String deadLetteredAt = attribute(message, SqsLineItems.DEAD_LETTERED_AT);
        String body = message.body();
        return new DeadLetter(message.messageId(), attribute(message, SqsLineItems.PARTNER_ATTRIBUTE),
                attribute(message, "webhook-id"), reason != null ? reason : RECEIVE_LIMIT, detail,
                attribute(message, SqsLineItems.ORIGINAL_MESSAGE_ID), sentAt(message),
                deadLetteredAt == null ? null : Instant.parse(deadLetteredAt), receives,
                body.getBytes(StandardCharsets.UTF_8).length,
                body.length() <= PREVIEW_CHARS ? body : body.substring(0, PREVIEW_CHARS) + "…");
    }

    private static Instant sentAt(Message message) {
        String sent = message.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
        return sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent));
    }

    private static String attribute(Message message, String name) {
        MessageAttributeValue value = message.messageAttributes().get(name);
        return value == null ? null : value.stringValue();
    }

    /** For the gauge: read at most every 10 s, NaN while SQS cannot be asked. */
    private double gaugeValue() {
        long now = System.currentTimeMillis();
        if (now - cachedAt > GAUGE_CACHE_MILLIS) {
            cachedAt = now;
            try {
                cachedCount = count();
            } catch (RuntimeException e) {
                log.debug("Dead-letter queue depth unknown: {}", e.toString());
                cachedCount = Double.NaN;
            }
        }
        return cachedCount;
    }
}
