package com.invoicehub.platform.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.core.env.StandardEnvironment;

import com.invoicehub.platform.sftp.PartnerSftpServer;
import com.invoicehub.platform.sftp.SftpAccounts;

/**
 * The local stack's own embedded servers, started outside any hub: the fault suite ({@code com.invoicehub.fault})
 * runs one set of them in its own JVM and points several hub processes at it, so killing a hub never kills them.
 * Test code only; it exists because the servers' constructors are package-private.
 */
public final class SharedLocalStack {

    private final LocalStack stack;

    public SharedLocalStack(Path dataDir) {
        this.stack = new LocalStack(dataDir, new StandardEnvironment());
    }

    public Path dataDir() {
        return stack.dataDir();
    }

    /** Zonky PostgreSQL on {@code dataDir/postgres}; a second call with the same port restarts it on the same data. */
    public EmbeddedPostgresServer postgres(int port) throws IOException {
        return new EmbeddedPostgresServer(stack, port);
    }

    public static String postgresUser() {
        return EmbeddedPostgresServer.USER;
    }

    public PartnerSftpServer sftp(int port, String hubUser, String hubPassword, SftpAccounts accounts)
            throws IOException {
        PartnerSftpServer server = new PartnerSftpServer(new PartnerSftpServer.Settings(
                stack.dataDir().resolve("sftp/homes"), stack.dataDir().resolve("sftp/host-key.pem"), true,
                "127.0.0.1", port, hubUser, hubPassword, java.time.Duration.ofHours(6),
                1_073_741_824L), accounts);
        Files.writeString(stack.dataDir().resolve("sftp/known_hosts"), server.knownHostsLine("localhost") + "\n");
        return server;
    }

    public EmbeddedS3Server s3(int port) throws IOException {
        return new EmbeddedS3Server(stack, port);
    }

    public EmbeddedSqsServer sqs(int port, String region) {
        return new EmbeddedSqsServer(stack, port, region);
    }

    public EmbeddedMailServer mail(int smtpPort, int imapPort, String password) {
        return new EmbeddedMailServer(stack, smtpPort, imapPort, password);
    }

    /** A free loopback port, as the local stack picks one for port 0. */
    public static int freePort() {
        return LocalPorts.claim(0, "fault suite", "-");
    }
}
