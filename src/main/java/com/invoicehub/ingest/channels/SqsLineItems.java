package com.invoicehub.ingest.channels;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import com.invoicehub.ingest.Channel;
import com.invoicehub.ingest.ReceiptBusyException;
import com.invoicehub.ingest.mapping.CanonicalJsonMapping;
import com.invoicehub.partners.PartnerNotFound;
import com.invoicehub.partners.PartnerRegistry;
import com.invoicehub.platform.Outages;
import com.invoicehub.platform.aws.BucketsAndQueues;
import com.invoicehub.shared.StandardWebhooks;

import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Messages on {@code partner-line-items} (CONTRACT §4): body a canonical item or array, String attributes
 * {@code partnerId}, {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature}, signed like a webhook
 * call (Standard Webhooks) over the body with the partner's signing secret. The {@code partnerId} attribute is a claim;
 * only the signature makes it the partner's message. Every message ends one of four ways:
 * <ul>
 * <li><b>done</b>: its outcome is committed, then it is deleted. The receipt key is the signed {@code webhook-id}
 * (per partner), not the SQS message id, so a redelivered, re-sent or redriven copy (a new SQS id) is the same
 * receipt and changes nothing;</li>
 * <li><b>dead-lettered</b> (the message's own fault: no or unknown partner, unsigned, a wrong signature, a timestamp
 * out of range, malformed JSON): never applied; counted ({@code hub_sqs_unprocessable_total{reason}}), logged, copied
 * to the dead-letter queue with the reason in {@code hubReason} and deleted at once. The hub moves it itself rather
 * than failing it five times for the queue's redrive: ops see why, and a fault does not cost four more receives. The
 * redrive policy stays as the backstop for anything the hub did not foresee (an exchange that fails);</li>
 * <li><b>left for a lease</b>: another run holds its receipt (a dead node's lease not yet expired, or a concurrent
 * copy): the message is made invisible until that lease has run out, then taken over, instead of being received
 * every few seconds until the redrive buries it;</li>
 * <li><b>deferred</b> (the database or the archive is unreachable): sent back to the queue with a delay and deleted,
 * so its receive count starts over however long the outage lasts, and the consumer pauses ({@link SqsBackoff}).</li>
 * </ul>
 */
@Component("sqsLineItems")
public class SqsLineItems {

    public static final String PARTNER_ATTRIBUTE = "partnerId";
    /** The attributes a partner signs a message with and the hub copies when it moves one. */
    static final List<String> PARTNER_ATTRIBUTES = List.of(PARTNER_ATTRIBUTE, "webhook-id", "webhook-timestamp",
            "webhook-signature");
    static final String REASON = "hubReason";
    static final String REASON_DETAIL = "hubReasonDetail";
    static final String ORIGINAL_MESSAGE_ID = "hubOriginalMessageId";
    static final String DEAD_LETTERED_AT = "hubDeadLetteredAt";
    static final String DEFERRALS = "hubDeferrals";
    /** SQS's longest delay of a message sent (15 minutes) and longest visibility timeout (12 hours). */
    private static final long MAX_DELAY_SECONDS = 900;
    private static final long MAX_VISIBILITY_SECONDS = 43_200;
    private static final int MAX_WEBHOOK_ID_LENGTH = 200;

    private static final Logger log = LoggerFactory.getLogger(SqsLineItems.class);

    /** How a message was handled. */
    public enum Handling { DONE, DEAD_LETTERED, LEFT_FOR_LEASE, DEFERRED }

    /** The handling, the message's outcomes when done, and the reason otherwise. */
    public record Handled(Handling handling, MessageIngestion.MessageResult result, String reason) {
    }

    /** Why a message is refused for good: its own fault, never retried. */
    enum Fault { MISSING_PARTNER, UNKNOWN_PARTNER, UNSIGNED, BAD_SIGNATURE, TIMESTAMP_OUT_OF_RANGE, MALFORMED_JSON }

    private static final class MessageFault extends RuntimeException {
        private final Fault fault;

        MessageFault(Fault fault, String message) {
            super(message, null, false, false);
            this.fault = fault;
        }
    }

    private record Message(String id, String receiptHandle, Map<String, MessageAttributeValue> attributes,
                           String body) {
        String attribute(String name) {
            MessageAttributeValue value = attributes.get(name);
            return value == null ? null : value.stringValue();
        }
    }

    private record Verified(String partnerId, String webhookId) {
    }

    private final PartnerRegistry partners;
    private final MessageIngestion ingestion;
    private final SqsClient sqs;
    private final BucketsAndQueues queues;
    private final SqsBackoff backoff;
    private final JdbcClient jdbc;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final Duration maxAge;

    SqsLineItems(PartnerRegistry partners, MessageIngestion ingestion, SqsClient sqs, BucketsAndQueues queues,
                 SqsBackoff backoff, JdbcClient jdbc, MeterRegistry metrics, Clock clock,
                 @Value("${hub.sqs.signed-message-max-age:P14D}") Duration maxAge) {
        this.partners = partners;
        this.ingestion = ingestion;
        this.sqs = sqs;
        this.queues = queues;
        this.backoff = backoff;
        this.jdbc = jdbc;
        this.metrics = metrics;
        this.clock = clock;
        this.maxAge = maxAge;
    }

    public Handled receive(@Header(Sqs2Constants.MESSAGE_ID) String messageId,
                           @Header(Sqs2Constants.RECEIPT_HANDLE) String receiptHandle,
                           @Header(Sqs2Constants.MESSAGE_ATTRIBUTES) Map<String, MessageAttributeValue> attributes,
                           @Body String body) {
        Message message = new Message(messageId, receiptHandle, attributes == null ? Map.of() : attributes,
                body == null ? "" : body);
        if (backoff.paused()) { // received in the same poll as the one that failed: the outage is known
            return defer(message, "the hub is backing off after an infrastructure failure", backoff.remaining());
        }
        Verified verified;
        MessageIngestion.MessageResult result;
        try {
            verified = verify(message);
            result = ingestion.ingest(verified.partnerId(), Channel.SQS, verified.webhookId(),
                    message.body().getBytes(StandardCharsets.UTF_8));
        } catch (MessageFault fault) {
            backoff.succeeded();
            return deadLetter(message, fault);
        } catch (ReceiptBusyException busy) {
            return leaveForLease(message, busy);
        } catch (RuntimeException e) {
            if (!infrastructure(e)) {
                throw e; // not foreseen: the exchange fails, the message comes again, the redrive is the backstop
            }
            return defer(message, e.toString(), backoff.failed());
        }
        backoff.succeeded();
        delete(message);
        return new Handled(Handling.DONE, result, null);
    }

    private Verified verify(Message message) {
        String partnerId = message.attribute(PARTNER_ATTRIBUTE);
        if (partnerId == null || partnerId.isBlank()) {
            throw new MessageFault(Fault.MISSING_PARTNER, "no partnerId message attribute");
        }
        String secret;
        try {
            secret = partners.signingSecret(partnerId);
        } catch (PartnerNotFound e) {
            throw new MessageFault(Fault.UNKNOWN_PARTNER, "unknown partner " + printable(partnerId));
        }
        String webhookId = message.attribute("webhook-id");
        String timestamp = message.attribute("webhook-timestamp");
        String signature = message.attribute("webhook-signature");
        if (webhookId == null || webhookId.isBlank() || timestamp == null || signature == null) {
            throw new MessageFault(Fault.UNSIGNED, "the webhook-id, webhook-timestamp and webhook-signature "
                    + "attributes are required");
        }
        if (webhookId.length() > MAX_WEBHOOK_ID_LENGTH) {
            throw new MessageFault(Fault.UNSIGNED, "webhook-id is longer than " + MAX_WEBHOOK_ID_LENGTH
                    + " characters");
        }
        long sentAt;
        try {
            sentAt = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new MessageFault(Fault.UNSIGNED, "webhook-timestamp is not unix seconds");
        }
        if (!StandardWebhooks.signatureMatches(secret, webhookId, sentAt,
                message.body().getBytes(StandardCharsets.UTF_8), signature)) {
            throw new MessageFault(Fault.BAD_SIGNATURE, "webhook-signature does not match the body for partner "
                    + printable(partnerId));
        }
        if (!StandardWebhooks.timestampWithin(sentAt, clock.instant(), maxAge)) {
            throw new MessageFault(Fault.TIMESTAMP_OUT_OF_RANGE, "webhook-timestamp " + sentAt + " is "
                    + (sentAt > clock.instant().getEpochSecond() ? "more than 5 minutes ahead"
                    : "older than " + maxAge.toDays() + " days (hub.sqs.signed-message-max-age)"));
        }
        try {
            CanonicalJsonMapping.requireWellFormed(message.body());
        } catch (RuntimeException e) {
            throw new MessageFault(Fault.MALFORMED_JSON, e.getMessage());
        }
        return new Verified(partnerId, webhookId);
    }

    private Handled deadLetter(Message message, MessageFault fault) {
        Map<String, MessageAttributeValue> attributes = partnerAttributes(message);
        attributes.put(REASON, text(fault.fault.name()));
        attributes.put(REASON_DETAIL, text(cap(fault.getMessage(), 500)));
        if (message.id() != null) {
            attributes.put(ORIGINAL_MESSAGE_ID, text(message.id()));
        }
        attributes.put(DEAD_LETTERED_AT, text(clock.instant().toString()));
        sqs.sendMessage(b -> b.queueUrl(queues.deadLetterQueueUrl()).messageBody(message.body())
                .messageAttributes(attributes));
        delete(message);
        metrics.counter("hub.sqs.unprocessable", "reason", fault.fault.name()).increment();
        log.warn("SQS message {} (partnerId claim {}) is not applied: {} ({}); moved to the dead-letter queue",
                message.id(), printable(message.attribute(PARTNER_ATTRIBUTE)), fault.fault, fault.getMessage());
        return new Handled(Handling.DEAD_LETTERED, null, fault.fault.name());
    }

    /** Invisible until the lease on its receipt has run out (a second more), then taken over by whoever receives it. */
    private Handled leaveForLease(Message message, ReceiptBusyException busy) {
        long seconds = busy.secondsLeft(clock.instant()).orElse(1L);
        int visibility = (int) Math.max(1, Math.min(MAX_VISIBILITY_SECONDS, seconds));
        if (message.receiptHandle() != null) {
            sqs.changeMessageVisibility(b -> b.queueUrl(queues.queueUrl()).receiptHandle(message.receiptHandle())
                    .visibilityTimeout(visibility));
        }
        metrics.counter("hub.sqs.deferred", "cause", "lease_held").increment();
        log.info("SQS message {}: its receipt is held by another run (a live one, or a dead node's lease until it "
                + "expires); it comes back in {} s", message.id(), visibility);
        return new Handled(Handling.LEFT_FOR_LEASE, null, "receipt held by another run");
    }

    /** Sent again with a delay and deleted: a new message, whose receive count starts over. */
    private Handled defer(Message message, String cause, Duration pause) {
        long delay = Math.max(1, Math.min(MAX_DELAY_SECONDS, (pause.toMillis() + 999) / 1000));
        Map<String, MessageAttributeValue> attributes = partnerAttributes(message);
        int deferrals = 0;
        try {
            String seen = message.attribute(DEFERRALS);
            deferrals = seen == null ? 0 : Integer.parseInt(seen);
        } catch (NumberFormatException e) {
            // a partner's own attribute of that name: counted afresh
        }
        attributes.put(DEFERRALS, MessageAttributeValue.builder().dataType("Number")
                .stringValue(Integer.toString(deferrals + 1)).build());
        sqs.sendMessage(b -> b.queueUrl(queues.queueUrl()).messageBody(message.body()).messageAttributes(attributes)
                .delaySeconds((int) delay));
        delete(message);
        metrics.counter("hub.sqs.deferred", "cause", "infrastructure").increment();
        log.warn("SQS message {} cannot be worked on now ({}): sent back to the queue for {} s; the SQS consumer "
                + "pauses for {} ms", message.id(), cause, delay, backoff.remaining().toMillis());
        return new Handled(Handling.DEFERRED, null, cause);
    }

    /**
     * The database or the archive out of reach, or a transient failure (a deadlock, a lock or query timeout): not
     * the message's fault, and gone on its own. Anything else is left to the queue's redelivery and redrive.
     */
    static boolean infrastructure(Throwable failure) {
        return Outages.isOutage(failure);
    }

    private void delete(Message message) {
        if (message.receiptHandle() != null) {
            sqs.deleteMessage(b -> b.queueUrl(queues.queueUrl()).receiptHandle(message.receiptHandle()));
        }
    }

    /** The attributes of the contract, as the partner sent them (a copy keeps its signature checkable). */
    private static Map<String, MessageAttributeValue> partnerAttributes(Message message) {
        Map<String, MessageAttributeValue> copy = new LinkedHashMap<>();
        for (String name : PARTNER_ATTRIBUTES) {
            MessageAttributeValue value = message.attributes().get(name);
            if (value != null) {
                copy.put(name, value);
            }
        }
        return copy;
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String")
                .stringValue(value == null || value.isBlank() ? "-" : value).build();
    }

    private static String cap(String text, int length) {
        return text == null ? "" : text.length() <= length ? text : text.substring(0, length) + "…";
    }

    /** A claim as it may be logged: control characters replaced, at most 100 characters. */
    static String printable(String claim) {
        return claim == null ? null : cap(claim.replaceAll("\\p{Cntrl}", "?"), 100);
    }
}
