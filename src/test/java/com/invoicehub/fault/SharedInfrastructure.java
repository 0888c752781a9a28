package com.invoicehub.fault;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;

import com.invoicehub.partners.SharedSftpLogins;
import com.invoicehub.platform.sftp.SharedOutageAwareLogins;
import com.invoicehub.platform.HubProperties;
import com.invoicehub.platform.aws.SharedBucketsAndQueues;
import com.invoicehub.platform.localstack.EmbeddedMailServer;
import com.invoicehub.platform.localstack.EmbeddedPostgresServer;
import com.invoicehub.platform.localstack.EmbeddedS3Server;
import com.invoicehub.platform.sftp.PartnerSftpServer;
import com.invoicehub.platform.localstack.EmbeddedSqsServer;
import com.invoicehub.platform.localstack.SharedLocalStack;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One PostgreSQL (zonky), SFTP (the hub's own Apache SSHD server, logins checked against the shared database), S3
 * (s3proxy), SQS (ElasticMQ, queues and redrive made by the hub's own BucketsAndQueues) and mail (GreenMail), all in
 * the suite's JVM: killing a hub process never takes them down. PostgreSQL can be stopped and started again on the
 * same data directory and port.
 */
final class SharedInfrastructure implements AutoCloseable {

    static final String REGION = "us-east-1";
    static final String DROP_BUCKET = "partner-drops";
    static final String ARCHIVE_BUCKET = "hub-archive";
    static final String QUEUE = "partner-line-items";
    static final String DEAD_LETTER_QUEUE = "partner-line-items-dlq";
    static final String ACCESS_KEY = "fault-suite";
    static final String SECRET_KEY = "fault-suite-secret";
    static final String SFTP_HUB_USER = "_hub";
    static final String SFTP_HUB_PASSWORD = "fault-suite-sftp-hub";
    static final String MAIL_PASSWORD = "fault-suite-mail";

    private final SharedLocalStack stack;
    private final int postgresPort;
    private volatile EmbeddedPostgresServer postgres;
    private final HikariDataSource dataSource;
    private final PartnerSftpServer sftp;
    private final Path partnerSftpHostKey;
    private final String partnerSftpHostKeyFingerprint;
    private final EmbeddedS3Server s3Server;
    private final EmbeddedSqsServer sqsServer;
    private final EmbeddedMailServer mail;
    final S3Client s3;
    final SqsClient sqs;
    final String queueUrl;
    final String deadLetterQueueUrl;
    final JdbcClient jdbc;

    private SharedInfrastructure(Path dir) throws IOException {
        stack = new SharedLocalStack(dir);
        postgresPort = SharedLocalStack.freePort();
        postgres = stack.postgres(postgresPort);
        HikariConfig config = new HikariConfig();
        config.setPoolName("fault-suite");
        config.setJdbcUrl(jdbcUrl());
        config.setUsername(SharedLocalStack.postgresUser());
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(3000);
        config.setInitializationFailTimeout(-1);
        dataSource = new HikariDataSource(config);
        jdbc = JdbcClient.create(dataSource);
        sftp = stack.sftp(0, SFTP_HUB_USER, SFTP_HUB_PASSWORD, SharedOutageAwareLogins.wrap(
                SharedSftpLogins.fromDatabase(dataSource), jdbcUrl(), SharedLocalStack.postgresUser()));
        // The nodes serve partners' SFTP themselves, as in production: one host key file for all of them.
        partnerSftpHostKey = dir.resolve("partner-sftp/host-key");
        Files.createDirectories(partnerSftpHostKey.getParent());
        java.security.KeyPair hostKey;
        try (java.io.OutputStream out = Files.newOutputStream(partnerSftpHostKey)) {
            hostKey = org.apache.sshd.common.config.keys.KeyUtils.generateKeyPair(
                    org.apache.sshd.common.keyprovider.KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
            org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter.INSTANCE
                    .writePrivateKey(hostKey, "fault suite partners' SFTP", null, out);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
        partnerSftpHostKeyFingerprint = org.apache.sshd.common.config.keys.KeyUtils.getFingerPrint(
                hostKey.getPublic());
        s3Server = stack.s3(0);
        sqsServer = stack.sqs(0, REGION);
        mail = stack.mail(0, 0, MAIL_PASSWORD);
        StaticCredentialsProvider credentials =
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
        s3 = S3Client.builder().endpointOverride(URI.create(s3Endpoint())).region(Region.of(REGION))
                .credentialsProvider(credentials).forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED).build();
        sqs = SqsClient.builder().endpointOverride(URI.create(sqsEndpoint())).region(Region.of(REGION))
                .credentialsProvider(credentials).build();
        SharedBucketsAndQueues.Provisioned provisioned = SharedBucketsAndQueues.provision(s3, sqs,
                new HubProperties.S3(s3Endpoint(), 0, REGION, ACCESS_KEY, SECRET_KEY, DROP_BUCKET, ARCHIVE_BUCKET),
                new HubProperties.Sqs(sqsEndpoint(), 0, REGION, ACCESS_KEY, SECRET_KEY, QUEUE, DEAD_LETTER_QUEUE, 5));
        queueUrl = provisioned.queueUrl();
        deadLetterQueueUrl = provisioned.deadLetterQueueUrl();
    }

    static SharedInfrastructure start(Path dir) throws IOException {
        Files.createDirectories(dir);
        return new SharedInfrastructure(dir);
    }

    /**
     * A suite JVM killed with -9 leaves its PostgreSQL running (pg_ctl daemonizes) and maybe hub processes: stop
     * those of an earlier run of this work directory before it is wiped.
     */
    static void stopLeftovers(Path workDir) throws IOException {
        Path pids = workDir.resolve("hub-pids");
        if (Files.exists(pids)) {
            for (String line : Files.readAllLines(pids)) {
                if (!line.isBlank()) {
                    ProcessHandle.of(Long.parseLong(line.trim()))
                            .filter(p -> p.info().commandLine().map(c -> c.contains("invoice-hub")).orElse(false))
                            .ifPresent(SharedInfrastructure::stop);
                }
            }
        }
        Path pidFile = workDir.resolve("infra/postgres/postmaster.pid");
        if (Files.exists(pidFile)) {
            List<String> lines = Files.readAllLines(pidFile);
            Optional<ProcessHandle> orphan = lines.isEmpty() ? Optional.empty()
                    : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
            orphan.filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false))
                    .ifPresent(SharedInfrastructure::stop);
        }
    }

    private static void stop(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres";
    }

    DataSource dataSource() {
        return dataSource;
    }

    String s3Endpoint() {
        return "http://127.0.0.1:" + URI.create(s3Server.endpoint()).getPort();
    }

    String sqsEndpoint() {
        return "http://127.0.0.1:" + URI.create(sqsServer.endpoint()).getPort();
    }

    /** The customers' EDI server (the nodes' partner SFTP is their own; see {@link #partnerSftpHostKey()}). */
    int sftpPort() {
        return sftp.port();
    }

    /** The host key every node's partners' SFTP server presents (HUB_SFTP_HOST_KEY). */
    Path partnerSftpHostKey() {
        return partnerSftpHostKey;
    }

    String partnerSftpHostKeyFingerprint() {
        return partnerSftpHostKeyFingerprint;
    }

    Path sftpKnownHosts() {
        return stack.dataDir().resolve("sftp/known_hosts");
    }

    Path sftpRoot() {
        return sftp.root();
    }

    int smtpPort() {
        return mail.smtpPort();
    }

    int imapPort() {
        return mail.imapPort();
    }

    /** {@code pg_ctl stop -m fast} through zonky. */
    void stopPostgres() throws IOException {
        postgres.close();
    }

    /** The same data directory and port again. */
    void startPostgres() throws IOException {
        postgres = stack.postgres(postgresPort);
    }

    @Override
    public void close() {
        for (AutoCloseable piece : new AutoCloseable[] {s3, sqs, mail, sqsServer, s3Server, sftp, dataSource}) {
            try {
                piece.close();
            } catch (Exception ignored) {
                // closing the rest matters more
            }
        }
        try {
            postgres.close();
        } catch (Exception ignored) {
            // nothing more to do
        }
    }
}
