package com.invoicehub.support;

import java.io.IOException;
import java.security.KeyPair;
import java.time.Duration;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/** A real SFTP client session (Apache MINA SSHD), pinning the server's host key by fingerprint. */
public final class SftpSession implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final SshClient client;
    private final ClientSession session;
    private final SftpClient sftp;

    private SftpSession(SshClient client, ClientSession session, SftpClient sftp) {
        this.client = client;
        this.session = session;
        this.sftp = sftp;
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

    private static SftpSession open(String host, int port, String fingerprint, String user, String password, KeyPair key)
            throws IOException {
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier((session, address, serverKey) ->
                KeyUtils.getFingerPrint(serverKey).equals(fingerprint));
        client.start();
        try {
            ClientSession session = client.connect(user, host, port).verify(TIMEOUT).getSession();
            if (password != null) {
                session.addPasswordIdentity(password);
            }
            if (key != null) {
                session.addPublicKeyIdentity(key);
            }
            session.auth().verify(TIMEOUT);
            return new SftpSession(client, session, SftpClientFactory.instance().createSftpClient(session));
        } catch (IOException | RuntimeException e) {
            client.stop();
            throw e;
        }
    }

    public SftpClient sftp() {
        return sftp;
    }

    @Override
    public void close() throws IOException {
        try {
            sftp.close();
            // Gracefully, and waited for: stopping the client while the session still reads makes MINA's I/O thread
            // throw "Executor has been shut down", which an Awaitility poll around this session takes for a failure.
            session.close(false).await(TIMEOUT);
        } finally {
            client.stop();
        }
    }
}
