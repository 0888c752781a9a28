package com.invoicehub.platform;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The hub's own settings (application.yaml, overridable by environment variables). A blank endpoint means
 * "not pointed at a real service": the local stack then starts that piece embedded.
 */
@ConfigurationProperties("hub")
public record HubProperties(
        Path dataDir,
        String routesDir,
        Security security,
        Postgres postgres,
        Sftp sftp,
        S3 s3,
        Sqs sqs,
        Mail mail,
        Approval approval,
        Delivery delivery) {

    /**
     * Users, the encryption key, and how long a verified ops/finance password is remembered (so an API client pays
     * BCrypt once per {@code verifiedPasswordTtl}, not on every call; zero turns remembering off).
     */
    public record Security(String opsUser, String opsPassword, String financeUser, String financePassword,
                           String encryptionKey, String encryptionKeyPrevious, String encryptionKeyNext,
                           java.time.Duration verifiedPasswordTtl) {
    }

    /**
     * The local stack's embedded PostgreSQL: its port, and whether it may skip fsync, synchronous commit and full-page
     * writes (faster; unsafe: a power cut or an OS crash can lose acknowledged commits or corrupt the data).
     */
    public record Postgres(int port, boolean unsafeFastWrites) {
    }

    /**
     * Partners' SFTP. {@code embedded}: the hub serves it itself (every shape; see PartnerSftpServer), listening on
     * {@code bindAddress:port} with the homes under {@code homesDir} and the host key in {@code hostKey} (blank: one
     * the hub makes under the data directory, right for one node only). Otherwise the hub reads an outside server at
     * {@code host:port}. Either way the hub logs in as {@code hubUser}.
     */
    public record Sftp(boolean embedded, String host, int port, String hubUser, String hubPassword,
                       String knownHosts, String bindAddress, Path homesDir, String hostKey,
                       java.time.Duration abandonedUploadAge) {
    }

    public record S3(String endpoint, int port, String region, String accessKey, String secretKey,
                     String dropBucket, String archiveBucket) {
        public boolean embedded() {
            return endpoint == null || endpoint.isBlank();
        }
    }

    public record Sqs(String endpoint, int port, String region, String accessKey, String secretKey, String queue,
                      String deadLetterQueue, int maxReceiveCount) {
        public boolean embedded() {
            return endpoint == null || endpoint.isBlank();
        }
    }

    /**
     * Approval links: how long one stays valid, the address the hub is reached at from an approver's browser (blank:
     * this node's own http://localhost:port, right for the local stack only) and how often unsent mails are sent.
     */
    /** {@code mailLease}: how long a node holds a claimed approval mail while sending it. */
    public record Approval(java.time.Duration linkTtl, String publicUrl, long mailIntervalMs,
                           java.time.Duration mailLease) {
    }

    /**
     * Deliveries of approved invoices: how often the outbox is polled, how long a claimed delivery is held before
     * another node may take it over, the waits between tries (one more try than waits) with their jitter, and the
     * outside-facing checks: networks a webhook may reach despite being private (SSRF allow-list, CIDR), and the
     * known_hosts file for customers' EDI SFTP servers. {@code sendDeadline}: the overall limit of one send by any
     * channel, and of one approval mail (connect, request and response); {@code workers}: how many sends a node runs
     * at once.
     */
    public record Delivery(long intervalMs, java.time.Duration lease, java.util.List<java.time.Duration> retryDelays,
                           double jitter, java.util.List<String> webhookAllowedNetworks,
                           java.time.Duration webhookTimeout, String ediKnownHosts,
                           java.time.Duration sendDeadline, int workers) {
    }

    /**
     * {@code timeoutMs}: the limit of each connect, read and write of an SMTP conversation (routes/platform/
     * mail-outbound.yaml); at most the send deadline, so a mail server that stops answering frees its thread soon after
     * the deadline gave up on it.
     */
    public record Mail(int smtpPort, int imapPort, String localPassword, String from, int timeoutMs) {
    }
}
