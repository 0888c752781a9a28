package com.invoicehub.ingest.channels;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.invoicehub.ingest.Channel;
import com.invoicehub.mappings.canonicaljson.CanonicalJsonMapping;
import com.invoicehub.partners.PartnerRegistry;
import com.invoicehub.platform.api.ApiException;

import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Messages on {@code partner-line-items} (CONTRACT §4): body a canonical item or array, attribute {@code partnerId}.
 * A message that cannot be processed at all (no or unknown partner, malformed JSON) fails its exchange, so it is not
 * deleted and the queue's redrive moves it to the dead-letter queue after five receives; the reason is logged and
 * counted ({@code hub_sqs_unprocessable_total}). The message id is the receipt key: a redelivery changes nothing.
 */
@Component("sqsLineItems")
public class SqsLineItems {

    private static final Logger log = LoggerFactory.getLogger(SqsLineItems.class);

    private final PartnerRegistry partners;
    private final MessageIngestion ingestion;
    private final MeterRegistry metrics;

    SqsLineItems(PartnerRegistry partners, MessageIngestion ingestion, MeterRegistry metrics) {
        this.partners = partners;
        this.ingestion = ingestion;
        this.metrics = metrics;
    }

    public MessageIngestion.MessageResult receive(@Header("CamelAwsSqsMessageId") String messageId,
                                                  @Header("CamelAwsSqsMessageAttributes")
                                                  Map<String, MessageAttributeValue> attributes,
                                                  @Body String body) {
        MessageAttributeValue partnerAttribute = attributes == null ? null : attributes.get("partnerId");
        String partnerId = partnerAttribute == null ? null : partnerAttribute.stringValue();
        if (partnerId == null || partnerId.isBlank()) {
            throw unprocessable(messageId, "no partnerId message attribute");
        }
        try {
            partners.get(partnerId);
        } catch (ApiException e) {
            throw unprocessable(messageId, "unknown partner " + partnerId);
        }
        try {
            CanonicalJsonMapping.requireWellFormed(body);
        } catch (RuntimeException e) {
            throw unprocessable(messageId, e.getMessage());
        }
        return ingestion.ingest(partnerId, Channel.SQS, messageId, body.getBytes(StandardCharsets.UTF_8));
    }

    private UnprocessableMessageException unprocessable(String messageId, String reason) {
        metrics.counter("hub.sqs.unprocessable").increment();
        log.error("SQS message {} cannot be processed ({}); it stays on the queue and goes to the dead-letter queue "
                + "after its last receive", messageId, reason);
        return new UnprocessableMessageException("SQS message " + messageId + ": " + reason);
    }

    /** The message's own fault; the exchange fails so the queue's redrive takes over. */
    public static class UnprocessableMessageException extends RuntimeException {
        UnprocessableMessageException(String message) {
            super(message);
        }
    }
}
