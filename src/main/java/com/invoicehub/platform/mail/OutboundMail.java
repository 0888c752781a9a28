package com.invoicehub.platform.mail;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.component.mail.MailConstants;
import org.springframework.stereotype.Component;

import jakarta.activation.DataHandler;
import jakarta.mail.util.ByteArrayDataSource;

/**
 * Sends one mail through the hub's mail route (routes/platform/mail-outbound.yaml): an HTML body with its plain-text
 * alternative, optional attachments, and hub headers (e.g. the id a receiver dedups by). A failure is thrown.
 */
@Component
public class OutboundMail {

    public record Attachment(String fileName, String contentType, byte[] content) {
    }

    public record Mail(List<String> to, String subject, String html, String text, List<Attachment> attachments,
                       Map<String, String> headers) {
    }

    private final ProducerTemplate producer;

    OutboundMail(ProducerTemplate producer) {
        this.producer = producer;
    }

    public void send(Mail mail) {
        Exchange result = producer.send("direct:mail-outbound", exchange -> {
            AttachmentMessage message = exchange.getMessage(AttachmentMessage.class);
            Map<String, Object> headers = new LinkedHashMap<>(mail.headers());
            headers.put(MailConstants.MAIL_TO, String.join(",", mail.to()));
            headers.put(MailConstants.MAIL_SUBJECT, mail.subject());
            headers.put(MailConstants.MAIL_ALTERNATIVE_BODY, mail.text());
            message.setHeaders(headers);
            message.setBody(mail.html());
            for (Attachment attachment : mail.attachments()) {
                message.addAttachment(attachment.fileName(), new DataHandler(
                        new ByteArrayDataSource(attachment.content(), attachment.contentType())));
            }
        });
        if (result.getException() != null) {
            throw new MailNotSentException(mail.to(), result.getException());
        }
    }

    public static class MailNotSentException extends RuntimeException {
        MailNotSentException(List<String> to, Exception cause) {
            super("mail to " + to + " not sent: " + cause.getMessage(), cause);
        }
    }
}
