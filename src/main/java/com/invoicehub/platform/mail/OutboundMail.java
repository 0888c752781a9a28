package com.invoicehub.platform.mail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import com.invoicehub.platform.HubProperties;

import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;

/**
 * Sends one mail through the hub's mail route (routes/platform/mail-outbound.yaml): an HTML body with its plain-text
 * alternative, optional attachments, hub headers, and a Message-ID of the caller's choosing, so a mail sent again
 * after a crash carries the same Message-ID and the recipient's mail system can tell it is the same mail. The message
 * is built here, whole, and the route only carries it to SMTP. A failure is thrown. The overall deadline of a send is
 * the caller's ({@link com.invoicehub.platform.SendDeadline}); the route's SMTP timeouts only free the thread.
 */
@Component
public class OutboundMail {

    public record Attachment(String fileName, String contentType, byte[] content) {
    }

    /** {@code messageId}: stable across tries, e.g. {@code delivery-42}; it becomes {@code <delivery-42@invoice-hub>}. */
    public record Mail(List<String> to, String subject, String html, String text, List<Attachment> attachments,
                       Map<String, String> headers, String messageId) {
    }

    private final ProducerTemplate producer;
    private final String from;

    OutboundMail(ProducerTemplate producer, HubProperties hub) {
        this.producer = producer;
        this.from = hub.mail().from();
        Duration deadline = hub.delivery().sendDeadline();
        if (hub.mail().timeoutMs() <= 0 || deadline != null && hub.mail().timeoutMs() > deadline.toMillis()) {
            throw new IllegalStateException("hub.mail.timeout-ms (" + hub.mail().timeoutMs() + ") must be positive "
                    + "and at most hub.delivery.send-deadline (" + deadline + ")");
        }
    }

    public void send(Mail mail) {
        MimeMessage message;
        try {
            message = build(mail);
        } catch (MessagingException e) {
            throw new MailNotSentException(mail.to(), e);
        }
        Exchange result = producer.send("direct:mail-outbound", exchange -> exchange.getMessage().setBody(message));
        if (result.getException() != null) {
            throw new MailNotSentException(mail.to(), result.getException());
        }
    }

    private MimeMessage build(Mail mail) throws MessagingException {
        String messageId = "<" + mail.messageId() + "@invoice-hub>";
        MimeMessage message = new MimeMessage((Session) null) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId); // the same on every try, never a fresh one
            }
        };
        message.setFrom(new InternetAddress(from));
        message.setRecipients(jakarta.mail.Message.RecipientType.TO,
                InternetAddress.parse(String.join(",", mail.to())));
        message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(mail.text(), StandardCharsets.UTF_8.name());
        alternative.addBodyPart(text);
        MimeBodyPart html = new MimeBodyPart();
        html.setContent(mail.html(), "text/html; charset=UTF-8");
        alternative.addBodyPart(html);
        if (mail.attachments().isEmpty()) {
            message.setContent(alternative);
        } else {
            MimeMultipart mixed = new MimeMultipart("mixed");
            MimeBodyPart body = new MimeBodyPart();
            body.setContent(alternative);
            mixed.addBodyPart(body);
            for (Attachment attachment : mail.attachments()) {
                MimeBodyPart part = new MimeBodyPart();
                part.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment.content(),
                        attachment.contentType())));
                part.setFileName(attachment.fileName());
                part.setDisposition(Part.ATTACHMENT);
                mixed.addBodyPart(part);
            }
            message.setContent(mixed);
        }
        for (Map.Entry<String, String> header : mail.headers().entrySet()) {
            message.setHeader(header.getKey(), header.getValue());
        }
        message.saveChanges();
        return message;
    }

    public static class MailNotSentException extends RuntimeException {
        MailNotSentException(List<String> to, Exception cause) {
            super("mail to " + to + " not sent: " + cause.getMessage(), cause);
        }
    }
}
