package com.invoicehub.ingest.channels;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import com.invoicehub.ingest.WaitingInboxes;
import com.invoicehub.platform.HubProperties;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Files waiting in partners' SFTP inboxes and S3 drops longer than they should: a file the hub never took (its
 * partner's route stopped, a poison read lock, a bug) is money nobody accounts for, so the reconciliation looks at the
 * inboxes themselves, as the hub's own SFTP login sees them, and not at what the hub recorded.
 */
@Component
public class InboxWatch implements WaitingInboxes, DisposableBean {

    /** Files being uploaded (the SFTP routes leave them alone too). */
    private static final Pattern IN_UPLOAD = Pattern.compile(".*\\.(tmp|part|filepart)$|^\\..*");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final JdbcClient jdbc;
    private final S3Client s3;
    private final HubProperties hub;
    private final Environment environment;
    /** File times are other servers' wall clocks, not the hub's (which tests move): compare with the wall clock. */
    private final Clock wallClock = Clock.systemUTC();
    private final SshClient ssh = SshClient.setUpDefaultClient();

    InboxWatch(JdbcClient jdbc, S3Client s3, HubProperties hub, Environment environment) {
        this.jdbc = jdbc;
        this.s3 = s3;
        this.hub = hub;
        this.environment = environment;
    }

    @Override
    public Inboxes waitingLongerThan(Duration age) {
        Instant before = wallClock.instant().minus(age);
        List<String> partners = jdbc.sql("select id from partners order by id").query(String.class).list();
        List<WaitingFile> waiting = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        try {
            waiting.addAll(sftpInboxes(partners, before));
        } catch (IOException | RuntimeException e) {
            unreadable.add("SFTP inboxes at " + hub.sftp().host() + ": " + e.getMessage());
        }
        try {
            for (String partner : partners) {
                for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(hub.s3().dropBucket())
                        .prefix(partner + "/").delimiter("/")).contents()) {
                    if (object.lastModified().isBefore(before)) {
                        waiting.add(new WaitingFile("s3://" + hub.s3().dropBucket() + "/" + object.key(),
                                object.lastModified()));
                    }
                }
            }
        } catch (RuntimeException e) {
            unreadable.add("S3 drops in " + hub.s3().dropBucket() + ": " + e.getMessage());
        }
        return new Inboxes(waiting, unreadable);
    }

    private List<WaitingFile> sftpInboxes(List<String> partners, Instant before) throws IOException {
        // The local stack publishes its port, password and known_hosts once its server runs: read them now.
        String host = environment.getProperty("hub.sftp.host", "localhost");
        int port = environment.getProperty("hub.sftp.port", Integer.class, 22);
        String knownHosts = environment.getProperty("hub.sftp.known-hosts");
        if (knownHosts == null || knownHosts.isBlank()) {
            throw new IllegalStateException("no known_hosts for the partner SFTP server (HUB_SFTP_KNOWN_HOSTS)");
        }
        synchronized (ssh) {
            if (!ssh.isStarted()) {
                ssh.setServerKeyVerifier(new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE,
                        Path.of(knownHosts)));
                ssh.start();
            }
        }
        List<WaitingFile> waiting = new ArrayList<>();
        try (ClientSession session = ssh.connect(environment.getProperty("hub.sftp.hub-user"), host, port)
                .verify(TIMEOUT).getSession()) {
            session.addPasswordIdentity(environment.getProperty("hub.sftp.hub-password"));
            session.auth().verify(TIMEOUT);
            try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
                for (String partner : partners) {
                    String inbox = "/" + partner + "/inbox";
                    Iterable<SftpClient.DirEntry> entries;
                    try {
                        entries = sftp.readDir(inbox);
                    } catch (IOException noInbox) {
                        continue; // a partner without an SFTP home
                    }
                    for (SftpClient.DirEntry entry : entries) {
                        SftpClient.Attributes attributes = entry.getAttributes();
                        if (!attributes.isRegularFile() || IN_UPLOAD.matcher(entry.getFilename()).matches()) {
                            continue;
                        }
                        Instant modified = attributes.getModifyTime().toInstant();
                        if (modified.isBefore(before)) {
                            waiting.add(new WaitingFile("sftp:" + inbox + "/" + entry.getFilename(), modified));
                        }
                    }
                }
            }
        }
        return waiting;
    }

    @Override
    public void destroy() throws IOException {
        ssh.stop();
    }
}
