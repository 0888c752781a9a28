package com.invoicehub.support;

import java.io.IOException;
import java.security.KeyPair;
import java.time.Duration;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/**
 * A real SFTP client session (Apache MINA SSHD), pinning the server's host key by fingerprint. All sessions share one
 * client started once and never stopped: stopping a client shuts its I/O executor while the socket may still report a
 * read, and the exception MINA then throws on its I/O thread is taken by any Awaitility poll running at that moment
 * for a failure of the test.
 */
public final class SftpSession implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final AttributeKey<String> EXPECTED_FINGERPRINT = new AttributeKey<>();
    private static final SshClient CLIENT = startClient();

    private final ClientSession session;
    private final SftpClient sftp;

    private SftpSession(ClientSession session, SftpClient sftp) {
        this.session = session;
        this.sftp = sftp;
    }

    private static SshClient startClient() {
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier((session, address, serverKey) -> session.getConnectionContext() != null
                && KeyUtils.getFingerPrint(serverKey).equals(
                        session.getConnectionContext().getAttribute(EXPECTED_FINGERPRINT)));
        client.start();
        return client;
    }

    public static SftpSession withPassword(int port, String hostKeyFingerprint, String user, String password)
            throws IOException {
        return open("localhost", port, hostKeyFingerprint, user, password, null);
    }

    /** Connects to {@code host}, e.g. this machine's own network address rather than loopback. */
    public static SftpSession withPassword(String host, int port, String hostKeyFingerprint, String user,
                                           String password) throws IOException {
        return open(host, port, hostKeyFingerprint, user, password, null);
    }

    public static SftpSession withKey(int port, String hostKeyFingerprint, String user, KeyPair key)
            throws IOException {
        return open("localhost", port, hostKeyFingerprint, user, null, key);
    }

    private static SftpSession open(String host, int port, String fingerprint, String user, String password,
                                    KeyPair key) throws IOException {
        ClientSession session = CLIENT.connect(user, host, port,
                        AttributeRepository.ofKeyValuePair(EXPECTED_FINGERPRINT, fingerprint))
                .verify(TIMEOUT).getSession();
        try {
            if (password != null) {
                session.addPasswordIdentity(password);
            }
            if (key != null) {
                session.addPublicKeyIdentity(key);
            }
            session.auth().verify(TIMEOUT);
            return new SftpSession(session, SftpClientFactory.instance().createSftpClient(session));
        } catch (IOException | RuntimeException e) {
            session.close(true);
            throw e;
        }
    }

    public SftpClient sftp() {
        return sftp;
    }

    /** Drops the connection without closing anything, as a crashed client or a cut network would. */
    public void abandon() {
        session.close(true);
    }

    @Override
    public void close() throws IOException {
        try {
            sftp.close();
        } finally {
            session.close(false).await(TIMEOUT);
        }
    }
}
