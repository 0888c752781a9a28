package com.invoicehub.platform.sftp;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.SftpErrorStatusDataHandler;
import org.apache.sshd.sftp.server.SftpSubsystemEnvironment;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partners' SFTP server, run by the hub itself in every shape (see docs/decisions/partner-sftp-served-by-the-hub.md):
 * each partner logs in with its id and the password or key kept in the hub's database and is jailed to its own home;
 * the hub's own login sees every home and is accepted from this machine only (each node reads the homes through its
 * own server). Several nodes serve the same homes when {@link Settings#homes()} is a shared volume, and present the
 * same host key when {@link Settings#hostKey()} names one file they all mount.
 */
public class PartnerSftpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PartnerSftpServer.class);

    /**
     * Where the server listens and what it serves.
     *
     * @param hostKey   the host key file; when it does not exist it is made there only if {@code makeHostKey}
     *                  (the local stack), since nodes that each made their own would answer with different keys
     * @param bindAddress 127.0.0.1 locally; 0.0.0.0 where partners connect from outside
     * @param abandonedUploadAge a hidden upload not written to for this long was left by a node that died mid-upload
     *                    and is deleted (every node looks, every quarter of it)
     * @param maxFileBytes the largest file a write may make: the largest SFTP file the hub ingests
     */
    public record Settings(Path homes, Path hostKey, boolean makeHostKey, String bindAddress, int port,
                           String hubUser, String hubPassword, Duration abandonedUploadAge, long maxFileBytes) {
    }

    private final SshServer server;
    private final ScheduledExecutorService sweeper;
    private final Path root;
    private final String fingerprint;
    private final PublicKey hostPublicKey;

    public PartnerSftpServer(Settings settings, SftpAccounts accounts) throws IOException {
        this.root = settings.homes().toAbsolutePath().normalize();
        Files.createDirectories(root);
        KeyPairProvider hostKeys = hostKeys(settings);
        String hubUser = settings.hubUser();
        String hubPassword = settings.hubPassword();

        server = SshServer.setUpDefaultServer();
        server.setHost(settings.bindAddress());
        server.setPort(settings.port());
        server.setKeyPairProvider(hostKeys);
        server.setPasswordAuthenticator((user, password, session) -> {
            if (hubUser.equals(user)) {
                return fromThisMachine(session) && hubPassword.equals(password);
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
        HiddenUploads uploads = new HiddenUploads(settings.maxFileBytes());
        SftpSubsystemFactory sftp = new SftpSubsystemFactory();
        sftp.setFileSystemAccessor(uploads);
        sftp.addSftpEventListener(uploads);
        sftp.setErrorStatusDataHandler(new SftpErrorStatusDataHandler() {
            /** MINA answers failures with a generic text; a refused file says why, the rest stay generic. */
            @Override
            public String resolveErrorMessage(SftpSubsystemEnvironment sftpSubsystem, int id, Throwable e,
                                              int subStatus, int cmd, Object... args) {
                return e instanceof BoundedFileChannel.FileTooLarge ? e.getMessage()
                        : SftpErrorStatusDataHandler.super.resolveErrorMessage(sftpSubsystem, id, e, subStatus, cmd,
                                args);
            }
        });
        server.setSubsystemFactories(List.of(sftp));
        server.setFileSystemFactory(new JailedHomes(root, hubUser));
        // The key is read (or made) before the server listens: a bad key never leaves a listening server behind.
        KeyPair hostKey;
        try {
            hostKey = hostKeys.loadKeys(null).iterator().next();
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("cannot read the SFTP host key " + settings.hostKey()
                    + " (HUB_SFTP_HOST_KEY)", e);
        }
        this.hostPublicKey = hostKey.getPublic();
        this.fingerprint = KeyUtils.getFingerPrint(hostPublicKey);
        try {
            server.start();
        } catch (BindException e) {
            throw new IllegalStateException("the partners' SFTP server cannot listen on " + settings.bindAddress()
                    + ":" + settings.port() + " (HUB_SFTP_PORT, HUB_SFTP_BIND_ADDRESS): " + e.getMessage(), e);
        }
        log.info("Partners' SFTP server listening on {}:{} (host key {}, homes {})", settings.bindAddress(), port(),
                fingerprint, root);
        sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "sftp-abandoned-uploads");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(1, settings.abandonedUploadAge().toSeconds() / 4);
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                HiddenUploads.deleteAbandoned(root, Instant.now().minus(settings.abandonedUploadAge()));
            } catch (IOException | RuntimeException e) {
                log.warn("Looking for abandoned uploads under {} failed: {}", root, e.toString());
            }
        }, every, every, TimeUnit.SECONDS);
    }

    private static KeyPairProvider hostKeys(Settings settings) throws IOException {
        Path file = settings.hostKey();
        if (Files.isRegularFile(file)) {
            FileKeyPairProvider existing = new FileKeyPairProvider(file);
            try {
                if (existing.loadKeys(null).iterator().hasNext()) {
                    return existing;
                }
            } catch (RuntimeException e) {
                throw new IllegalStateException("HUB_SFTP_HOST_KEY " + file + " is not a readable unencrypted private "
                        + "key (make one with: ssh-keygen -t ecdsa -b 256 -N '' -f " + file + ")", e);
            }
            throw new IllegalStateException("HUB_SFTP_HOST_KEY " + file + " holds no key");
        }
        if (!settings.makeHostKey()) {
            throw new IllegalStateException("HUB_SFTP_HOST_KEY " + file + " does not exist: every node must present "
                    + "the same host key, so make it once (ssh-keygen -t ecdsa -b 256 -N '' -f host-key) and "
                    + "mount it on every node");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        SimpleGeneratorHostKeyProvider generated = new SimpleGeneratorHostKeyProvider(file);
        generated.setAlgorithm(KeyUtils.EC_ALGORITHM);
        return generated;
    }

    /** The hub's own login is for the hub's own routes, which connect over loopback. */
    private static boolean fromThisMachine(ServerSession session) {
        SocketAddress client = session.getClientAddress();
        boolean loopback = client instanceof InetSocketAddress address && address.getAddress() != null
                && address.getAddress().isLoopbackAddress();
        if (!loopback) {
            log.warn("Refused the hub's own SFTP login from {}: it is accepted from this machine only", client);
        }
        return loopback;
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

    /** A known_hosts line naming this server as {@code host} on its port. */
    public String knownHostsLine(String host) {
        return "[" + host + "]:" + port() + " " + PublicKeyEntry.toString(hostPublicKey);
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
        sweeper.shutdownNow();
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
