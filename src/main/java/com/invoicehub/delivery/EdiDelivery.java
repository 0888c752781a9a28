package com.invoicehub.delivery;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import com.invoicehub.platform.HubProperties;
import com.invoicehub.platform.LocalStackMode;
import com.invoicehub.security.SecretCipher;

/**
 * The X12 810 uploaded by SFTP to the customer's EDI mailbox: written under a temporary name and renamed, so the
 * customer's side never reads half a file; a resend after a crash writes the same file (same name, same ISA13
 * control number). Host keys are checked against HUB_EDI_KNOWN_HOSTS; on the local stack, the embedded SFTP
 * server's own key is the one trusted.
 */
@Component
class EdiDelivery implements DeliveryChannel, DisposableBean {

    private final JdbcClient jdbc;
    private final InvoiceArtifacts artifacts;
    private final SecretCipher cipher;
    private final SshClient ssh;
    /** Each step of the SSH conversation; the send as a whole is cut by the outbox at the same deadline. */
    private final Duration stepTimeout;
    private final String setupProblem;

    EdiDelivery(JdbcClient jdbc, InvoiceArtifacts artifacts, SecretCipher cipher, HubProperties hub,
                LocalStackMode localStack) {
        this.jdbc = jdbc;
        this.artifacts = artifacts;
        this.cipher = cipher;
        this.ssh = SshClient.setUpDefaultClient();
        String knownHosts = hub.delivery().ediKnownHosts();
        java.util.Optional<String> localFingerprint = localStack.sftpHostKeyFingerprint();
        ServerKeyVerifier verifier;
        if (knownHosts != null && !knownHosts.isBlank()) {
            verifier = new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, Path.of(knownHosts));
            setupProblem = null;
        } else if (localFingerprint.isPresent()) {
            verifier = (session, address, key) -> KeyUtils.getFingerPrint(key).equals(localFingerprint.get());
            setupProblem = null;
        } else {
            verifier = RejectAllServerKeyVerifier.INSTANCE;
            setupProblem = "no known_hosts for customers' EDI servers: set HUB_EDI_KNOWN_HOSTS";
        }
        ssh.setServerKeyVerifier(verifier);
        // A server that accepts and then says nothing frees the thread the outbox's deadline gave up on.
        stepTimeout = hub.delivery().sendDeadline();
        CoreModuleProperties.IO_CONNECT_TIMEOUT.set(ssh, stepTimeout);
        CoreModuleProperties.AUTH_TIMEOUT.set(ssh, stepTimeout);
        CoreModuleProperties.IDLE_TIMEOUT.set(ssh, stepTimeout);
        CoreModuleProperties.CHANNEL_OPEN_TIMEOUT.set(ssh, stepTimeout);
        CoreModuleProperties.WAIT_FOR_SPACE_TIMEOUT.set(ssh, stepTimeout);
        SftpModuleProperties.SFTP_CHANNEL_OPEN_TIMEOUT.set(ssh, stepTimeout);
        ssh.start();
    }

    @Override
    public Kind channel() {
        return Kind.EDI;
    }

    @Override
    public SendResult send(PendingDelivery delivery) {
        if (setupProblem != null) {
            return new SendResult.Failed(setupProblem, null);
        }
        Map<String, Object> edi = jdbc.sql("""
                        select edi_host, edi_port, edi_user, edi_password_enc, coalesce(edi_folder, '') as folder
                        from customers where id = :id""")
                .param("id", delivery.customerId()).query().singleRow();
        if (edi.get("edi_host") == null || edi.get("edi_password_enc") == null) {
            return new SendResult.Failed("the customer has no EDI mailbox settings", null);
        }
        InvoiceArtifacts.Artifact interchange;
        try {
            interchange = artifacts.get(delivery.invoiceId(), InvoiceArtifacts.Format.X12);
        } catch (com.invoicehub.platform.DomainRefusal e) { // the invoice is gone, or the customer gets no X12
            return new SendResult.Failed(e.getMessage(), null);
        }
        String host = (String) edi.get("edi_host");
        int port = edi.get("edi_port") == null ? 22 : (Integer) edi.get("edi_port");
        String folder = ((String) edi.get("folder")).replaceAll("/+$", "");
        String target = (folder.isEmpty() ? "" : folder + "/") + interchange.fileName();
        try (ClientSession session = ssh.connect((String) edi.get("edi_user"), host, port).verify(stepTimeout)
                .getSession()) {
            session.addPasswordIdentity(cipher.decrypt((String) edi.get("edi_password_enc")));
            session.auth().verify(stepTimeout);
            try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
                String temporary = target + ".part";
                try (OutputStream out = sftp.write(temporary)) {
                    out.write(interchange.content());
                }
                try {
                    sftp.remove(target); // a resend replaces what an earlier try left
                } catch (IOException absent) {
                    // nothing there: the usual case
                }
                sftp.rename(temporary, target);
            }
            return new SendResult.Sent("uploaded " + target + " to " + host + ":" + port, null);
        } catch (IOException e) {
            return new SendResult.Retry("SFTP " + host + ":" + port + ": " + e.getMessage(), null, null);
        }
    }

    @Override
    public void destroy() throws IOException {
        ssh.stop();
    }
}
