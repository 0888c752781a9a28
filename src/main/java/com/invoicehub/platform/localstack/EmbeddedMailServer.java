package com.invoicehub.platform.localstack;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * GreenMail SMTP + IMAP for the local stack. Every address the hub sends to gets a mailbox on delivery, readable
 * over IMAP with the address as login and the one local mail password.
 */
public class EmbeddedMailServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMailServer.class);

    private final GreenMail greenMail;
    private final int smtpPort;
    private final int imapPort;

    EmbeddedMailServer(LocalStack localStack, int configuredSmtpPort, int configuredImapPort, String password) {
        smtpPort = LocalPorts.claim(configuredSmtpPort, "SMTP server", "HUB_MAIL_SMTP_PORT");
        imapPort = LocalPorts.claim(configuredImapPort, "IMAP server", "HUB_MAIL_IMAP_PORT");
        greenMail = new GreenMail(new ServerSetup[] {
                new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
        UserManager users = greenMail.getUserManager();
        users.setMessageDeliveryHandler((message, address) -> {
            GreenMailUser user = users.getUserByEmail(address.getEmail());
            return user != null ? user : users.createUser(address.getEmail(), address.getEmail(), password);
        });
        greenMail.start();
        localStack.publish("spring.mail.host", "localhost");
        localStack.publish("spring.mail.port", smtpPort);
        localStack.report("mail", Map.of("smtpPort", smtpPort, "imapPort", imapPort, "password", password));
        log.info("Local mail: SMTP on port {}, IMAP on port {}", smtpPort, imapPort);
    }

    public int smtpPort() {
        return smtpPort;
    }

    public int imapPort() {
        return imapPort;
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
