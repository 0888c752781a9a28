package com.invoicehub.platform.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;

import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.invoicehub.platform.sftp.SftpAccounts;
import com.invoicehub.platform.sftp.SftpLoginUnavailableException;

/**
 * The partners' SFTP server for the local stack: each partner logs in with its id and is jailed to its own
 * home; the hub's own login sees every home. The host key is kept under {@code data/sftp} so clients can pin it.
 */
public class EmbeddedSftpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedSftpServer.class);

    private final SshServer server;
    private final Path root;
    private final String fingerprint;

    EmbeddedSftpServer(LocalStack localStack, int configuredPort, String hubUser, String hubPassword,
                       SftpAccounts accounts) throws IOException {
        this.root = localStack.dataDir().resolve("sftp/homes");
        Files.createDirectories(root);
        int port = LocalPorts.claim(configuredPort, "SFTP server", "HUB_SFTP_PORT");
        SimpleGeneratorHostKeyProvider hostKeys =
                new SimpleGeneratorHostKeyProvider(localStack.dataDir().resolve("sftp/host-key.pem"));
        hostKeys.setAlgorithm(KeyUtils.EC_ALGORITHM);

        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(port);
        server.setKeyPairProvider(hostKeys);
        server.setPasswordAuthenticator((user, password, session) -> {
            if (hubUser.equals(user)) {
                return hubPassword.equals(password);
            }
            try {
                return accounts.passwordMatches(user, password);
            } catch (SftpLoginUnavailableException e) {
                return refuseForNow(session, e);
            }
        });
        server.setPublickeyAuthenticator((user, key, session) -> {
            if (hubUser.equals(user)) {
                return false;
            }
            try {
                return accounts.publicKeyMatches(user, key);
            } catch (SftpLoginUnavailableException e) {
                return refuseForNow(session, e);
            }
        });
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        server.setFileSystemFactory(new JailedHomes(root, hubUser));
        server.start();

        PublicKey hostKey = hostKeys.loadKeys(null).iterator().next().getPublic();
        this.fingerprint = KeyUtils.getFingerPrint(hostKey);
        Path knownHosts = localStack.dataDir().resolve("sftp/known_hosts");
        Files.writeString(knownHosts, "[localhost]:" + port + " " + PublicKeyEntry.toString(hostKey) + "\n");
        localStack.publish("hub.sftp.port", port);
        localStack.publish("hub.sftp.host", "localhost");
        localStack.publish("hub.sftp.known-hosts", knownHosts.toString());
        localStack.report("sftp", Map.of("host", "localhost", "port", port, "hostKeyFingerprint", fingerprint,
                "hubUser", hubUser, "hubPassword", hubPassword, "homes", root.toString()));
        log.info("Local SFTP server listening on port {} (host key {})", port, fingerprint);
    }

    /**
     * A login that cannot be decided now is not a wrong password: the session is ended with
     * SSH_DISCONNECT_SERVICE_NOT_AVAILABLE and the reason (OpenSSH prints "Received disconnect ... 7: ..."), where a
     * wrong password gets the usual authentication failure.
     */
    private static boolean refuseForNow(ServerSession session, SftpLoginUnavailableException reason) {
        try {
            session.disconnect(SshConstants.SSH2_DISCONNECT_SERVICE_NOT_AVAILABLE, reason.getMessage());
        } catch (IOException e) {
            log.debug("Could not send the disconnect to {}", session, e);
        }
        return false;
    }

    public Path root() {
        return root;
    }

    public int port() {
        return server.getPort();
    }

    public String hostKeyFingerprint() {
        return fingerprint;
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    /** Roots each session's file system at the user's home: a partner cannot see past it. */
    private static final class JailedHomes extends VirtualFileSystemFactory {
        private final Path root;
        private final String hubUser;

        JailedHomes(Path root, String hubUser) {
            this.root = root;
            this.hubUser = hubUser;
        }

        @Override
        public Path getUserHomeDir(SessionContext session) throws IOException {
            String user = session.getUsername();
            Path home = hubUser.equals(user) ? root : root.resolve(user).normalize();
            if (!home.startsWith(root) || !Files.isDirectory(home)) {
                throw new IOException("no SFTP home for " + user);
            }
            return home;
        }
    }
}
