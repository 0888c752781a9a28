package com.invoicehub.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.springframework.stereotype.Component;

import com.invoicehub.platform.localstack.EmbeddedMailServer;

import jakarta.mail.BodyPart;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;

/** Reads the local stack's mailboxes over IMAP, as an approver's or billing contact's mail program would. */
@Component
public class Mailbox {

    public static final String PASSWORD = "test-mail-password";

    /** A mail as read back: its subject, plain and HTML bodies, attachments and headers. */
    public record ReadMail(String subject, String text, String html, List<Attachment> attachments,
                           List<String> headerLines) {
        public String header(String name) {
            return headerLines.stream().filter(line -> line.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                    .map(line -> line.substring(name.length() + 1).strip()).findFirst().orElse(null);
        }
    }

    public record Attachment(String fileName, String contentType, byte[] content) {
    }

    private final EmbeddedMailServer server;

    Mailbox(EmbeddedMailServer server) {
        this.server = server;
    }

    /** Waits until a mail to {@code address} matching {@code wanted} has arrived, and reads it. */
    public ReadMail await(String address, Predicate<ReadMail> wanted) {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> read(address).stream().filter(wanted).findFirst(), java.util.Optional::isPresent)
                .orElseThrow();
    }

    public List<ReadMail> read(String address) throws MessagingException, IOException {
        Properties properties = new Properties();
        properties.put("mail.imap.host", "127.0.0.1");
        properties.put("mail.imap.port", Integer.toString(server.imapPort()));
        Store store = Session.getInstance(properties).getStore("imap");
        try {
            store.connect(address, PASSWORD);
        } catch (jakarta.mail.AuthenticationFailedException noMailboxYet) {
            return List.of();
        }
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            List<ReadMail> mails = new ArrayList<>();
            for (Message message : inbox.getMessages()) {
                mails.add(parse(message));
            }
            inbox.close(false);
            return mails;
        } finally {
            store.close();
        }
    }

    private static ReadMail parse(Message message) throws MessagingException, IOException {
        Parts parts = new Parts();
        parts.collect(message);
        List<String> headers = new ArrayList<>();
        java.util.Enumeration<String> lines = ((jakarta.mail.internet.MimeMessage) message).getAllHeaderLines();
        while (lines.hasMoreElements()) {
            headers.add(lines.nextElement());
        }
        return new ReadMail(message.getSubject(), parts.text, parts.html, parts.attachments, headers);
    }

    private static final class Parts {
        String text;
        String html;
        final List<Attachment> attachments = new ArrayList<>();

        void collect(Part part) throws MessagingException, IOException {
            if (part.getFileName() != null || Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
                try (InputStream in = part.getInputStream()) {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    in.transferTo(bytes);
                    attachments.add(new Attachment(part.getFileName(), part.getContentType(), bytes.toByteArray()));
                }
            } else if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart body = multipart.getBodyPart(i);
                    collect(body);
                }
            } else if (part.isMimeType("text/plain")) {
                text = (String) part.getContent();
            } else if (part.isMimeType("text/html")) {
                html = (String) part.getContent();
            }
        }
    }
}
