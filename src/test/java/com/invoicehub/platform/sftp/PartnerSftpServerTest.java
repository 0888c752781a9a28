package com.invoicehub.platform.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Collections;
import java.util.Optional;
import java.util.UUID;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.sftp.client.SftpClient;
import org.junit.jupiter.api.Test;

import com.invoicehub.support.SftpSession;

/**
 * The partners' SFTP server as production runs it on several nodes: one host key file and one homes volume shared by
 * all, partner logins from the hub's accounts, the hub's own login from this machine only.
 */
class PartnerSftpServerTest {

    private static final String HUB_USER = "_hub";
    private static final String HUB_PASSWORD = "hub-secret";
    private static final long MAX_FILE_BYTES = 64 * 1024;
    private static final SftpAccounts ACME_ONLY = new SftpAccounts() {
        @Override
        public boolean passwordMatches(String partnerId, String password) {
            return "acme".equals(partnerId) && "acme-secret".equals(password);
        }

        @Override
        public boolean publicKeyMatches(String partnerId, PublicKey key) {
            return false;
        }
    };

    private final Path dir = Path.of("target/test-data/partner-sftp-" + UUID.randomUUID()).toAbsolutePath();

    @Test
    void twoNodesServeTheSameHomesUnderTheSameHostKey() throws Exception {
        Path hostKey = writeHostKey(dir.resolve("secrets/host-key"));
        Path homes = dir.resolve("shared-homes");
        new PartnerSftpHomes(homes).createHome("acme");
        try (PartnerSftpServer first = new PartnerSftpServer(settings(homes, hostKey, false, "127.0.0.1"), ACME_ONLY);
             PartnerSftpServer second = new PartnerSftpServer(settings(homes, hostKey, false, "127.0.0.1"),
                     ACME_ONLY)) {
            assertThat(second.hostKeyFingerprint()).isEqualTo(first.hostKeyFingerprint());

            try (SftpSession partner = SftpSession.withPassword(first.port(), first.hostKeyFingerprint(), "acme",
                    "acme-secret"); OutputStream out = partner.sftp().write("/inbox/october.csv")) {
                out.write("employee_id,amount\n".getBytes(StandardCharsets.UTF_8));
            }
            try (SftpSession hub = SftpSession.withPassword(second.port(), second.hostKeyFingerprint(), HUB_USER,
                    HUB_PASSWORD); InputStream in = hub.sftp().read("/acme/inbox/october.csv")) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("employee_id,amount\n");
            }
        }
    }

    @Test
    void anUploadTakesItsNameOnlyWhenTheClientClosesItAndAnUploadCutShortLeavesNothing() throws Exception {
        Path homes = dir.resolve("homes");
        new PartnerSftpHomes(homes).createHome("acme");
        Path inbox = homes.resolve("acme/inbox");
        try (PartnerSftpServer server = localServer(homes)) {
            try (SftpSession partner = SftpSession.withPassword(server.port(), server.hostKeyFingerprint(), "acme",
                    "acme-secret")) {
                SftpClient.CloseableHandle handle = partner.sftp().open("/inbox/october.csv",
                        SftpClient.OpenMode.Write, SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate);
                byte[] firstHalf = "employee_id,amount\nE-1,12".getBytes(StandardCharsets.UTF_8);
                partner.sftp().write(handle, 0, firstHalf);
                // Mid-upload: nothing under the name (the hub's routes skip dot files).
                assertThat(visibleNames(inbox)).isEmpty();
                partner.sftp().write(handle, firstHalf.length, "50.00\n".getBytes(StandardCharsets.UTF_8));
                // OpenSSH's put -p sets the times on the open handle before closing it.
                partner.sftp().setStat(handle, new SftpClient.Attributes().modifyTime(1_700_000_000));
                partner.sftp().close(handle);
            }
            assertThat(Files.readString(inbox.resolve("october.csv"))).isEqualTo("employee_id,amount\nE-1,1250.00\n");
            assertThat(Files.getLastModifiedTime(inbox.resolve("october.csv")).toInstant().getEpochSecond())
                    .isEqualTo(1_700_000_000L);
            assertThat(allNames(inbox)).containsExactly("october.csv");

            // A client that dies mid-transfer: its session ends without a close.
            SftpSession cut = SftpSession.withPassword(server.port(), server.hostKeyFingerprint(), "acme",
                    "acme-secret");
            SftpClient.CloseableHandle handle = cut.sftp().open("/inbox/november.csv", SftpClient.OpenMode.Write,
                    SftpClient.OpenMode.Create, SftpClient.OpenMode.Truncate);
            cut.sftp().write(handle, 0, "employee_id,amount\nE-2,99".getBytes(StandardCharsets.UTF_8));
            cut.abandon();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> allNames(inbox).equals(java.util.List.of("october.csv")));

            // Appending to a file (a resumed transfer) writes to the file itself.
            try (SftpSession partner = SftpSession.withPassword(server.port(), server.hostKeyFingerprint(), "acme",
                    "acme-secret"); OutputStream out = partner.sftp().write("/inbox/october.csv",
                    SftpClient.OpenMode.Write, SftpClient.OpenMode.Append)) {
                out.write("E-3,1.00\n".getBytes(StandardCharsets.UTF_8));
            }
            assertThat(Files.readString(inbox.resolve("october.csv"))).endsWith("E-1,1250.00\nE-3,1.00\n");
        }
    }

    @Test
    void aFileLargerThanTheHubIngestsIsRefusedWhileItIsWrittenAndLeavesNothing() throws Exception {
        Path homes = dir.resolve("homes");
        new PartnerSftpHomes(homes).createHome("acme");
        Path inbox = homes.resolve("acme/inbox");
        try (PartnerSftpServer server = localServer(homes);
             SftpSession partner = SftpSession.withPassword(server.port(), server.hostKeyFingerprint(), "acme",
                     "acme-secret")) {
            byte[] tooLarge = new byte[(int) MAX_FILE_BYTES + 1];
            assertThatThrownBy(() -> {
                try (OutputStream out = partner.sftp().write("/inbox/huge.csv")) {
                    out.write(tooLarge);
                }
            }).isInstanceOf(IOException.class).hasMessageContaining("at most " + MAX_FILE_BYTES + " bytes");
            assertThat(allNames(inbox)).isEmpty();
            assertThat(homes.resolve("acme/failed/huge.csv.error.txt")).content()
                    .contains("at most " + MAX_FILE_BYTES + " bytes");

            byte[] atTheLimit = new byte[(int) MAX_FILE_BYTES];
            try (OutputStream out = partner.sftp().write("/inbox/largest.csv")) {
                out.write(atTheLimit);
            }
            assertThat(inbox.resolve("largest.csv")).hasSize(MAX_FILE_BYTES);
            // Appending past the limit is refused too.
            assertThatThrownBy(() -> {
                try (OutputStream out = partner.sftp().write("/inbox/largest.csv", SftpClient.OpenMode.Write,
                        SftpClient.OpenMode.Append)) {
                    out.write(new byte[1]);
                }
            }).isInstanceOf(IOException.class);
            assertThat(inbox.resolve("largest.csv")).hasSize(MAX_FILE_BYTES);
        }
    }

    @Test
    void hiddenUploadsLeftByADeadNodeAreDeletedOnceStaleAndNothingElse() throws Exception {
        Path homes = dir.resolve("homes");
        new PartnerSftpHomes(homes).createHome("acme");
        Path inbox = homes.resolve("acme/inbox");
        Path stale = Files.writeString(inbox.resolve(".upload-1234-october.csv"), "employee_id,amount\nE-1,12");
        Path fresh = Files.writeString(inbox.resolve(".upload-5678-november.csv"), "employee_id,amount\n");
        Path finished = Files.writeString(inbox.resolve("september.csv"), "employee_id,amount\n");
        Path otherHidden = Files.writeString(inbox.resolve(".keep"), "");
        java.time.Instant now = java.time.Instant.now();
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(now.minus(java.time.Duration.ofHours(7))));
        Files.setLastModifiedTime(finished, java.nio.file.attribute.FileTime.from(now.minus(java.time.Duration.ofDays(9))));

        assertThat(HiddenUploads.deleteAbandoned(homes, now.minus(java.time.Duration.ofHours(6)))).isEqualTo(1);
        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
        assertThat(finished).exists();
        assertThat(otherHidden).exists();
        assertThat(HiddenUploads.deleteAbandoned(dir.resolve("no-homes-yet"), now)).isZero();
    }

    @Test
    void aPartnerIsJailedToItsOwnHomeAndAWrongPasswordIsRefused() throws Exception {
        Path homes = dir.resolve("homes");
        new PartnerSftpHomes(homes).createHome("acme");
        new PartnerSftpHomes(homes).createHome("globex");
        try (PartnerSftpServer server = localServer(homes)) {
            try (SftpSession partner = SftpSession.withPassword(server.port(), server.hostKeyFingerprint(), "acme",
                    "acme-secret")) {
                assertThat(names(partner.sftp(), "/")).contains("inbox", "outbox").doesNotContain("globex", "acme");
                assertThat(names(partner.sftp(), "/..")).doesNotContain("globex");
            }
            assertThatThrownBy(() -> SftpSession.withPassword(server.port(), server.hostKeyFingerprint(), "acme",
                    "wrong")).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> SftpSession.withPassword(server.port(), server.hostKeyFingerprint(), "globex",
                    "acme-secret")).isInstanceOf(IOException.class);
        }
    }

    @Test
    void theHubsOwnLoginIsRefusedFromAnotherMachine() throws Exception {
        Optional<InetAddress> ownAddress = nonLoopbackAddress();
        assumeTrue(ownAddress.isPresent(), "this machine has no network address besides loopback to connect from");
        Path homes = dir.resolve("homes");
        new PartnerSftpHomes(homes).createHome("acme");
        try (PartnerSftpServer server = new PartnerSftpServer(
                settings(homes, dir.resolve("made/host-key.pem"), true, "0.0.0.0"), ACME_ONLY)) {
            String host = ownAddress.get().getHostAddress();
            assertThatThrownBy(() -> SftpSession.withPassword(host, server.port(), server.hostKeyFingerprint(),
                    HUB_USER, HUB_PASSWORD)).isInstanceOf(IOException.class);
            try (SftpSession partner = SftpSession.withPassword(host, server.port(), server.hostKeyFingerprint(),
                    "acme", "acme-secret")) {
                assertThat(names(partner.sftp(), "/")).contains("inbox");
            }
            try (SftpSession hub = SftpSession.withPassword(server.port(), server.hostKeyFingerprint(), HUB_USER,
                    HUB_PASSWORD)) {
                assertThat(names(hub.sftp(), "/")).contains("acme");
            }
        }
    }

    @Test
    void aHostKeyTheHubMadeIsKeptAcrossARestart() throws Exception {
        Path hostKey = dir.resolve("made/host-key.pem");
        String first;
        try (PartnerSftpServer server = new PartnerSftpServer(settings(dir.resolve("homes"), hostKey, true,
                "127.0.0.1"), ACME_ONLY)) {
            first = server.hostKeyFingerprint();
        }
        try (PartnerSftpServer server = new PartnerSftpServer(settings(dir.resolve("homes"), hostKey, true,
                "127.0.0.1"), ACME_ONLY)) {
            assertThat(server.hostKeyFingerprint()).isEqualTo(first);
            assertThat(server.knownHostsLine("localhost")).startsWith("[localhost]:" + server.port() + " ecdsa-");
        }
    }

    @Test
    void aNamedHostKeyThatIsMissingOrUnreadableStopsTheStartByName() throws IOException {
        Path missing = dir.resolve("secrets/none");
        assertThatThrownBy(() -> new PartnerSftpServer(settings(dir.resolve("homes"), missing, false, "127.0.0.1"),
                ACME_ONLY)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("HUB_SFTP_HOST_KEY").hasMessageContaining("does not exist");
        Path garbage = dir.resolve("secrets/garbage");
        Files.createDirectories(garbage.getParent());
        Files.writeString(garbage, "not a key");
        assertThatThrownBy(() -> new PartnerSftpServer(settings(dir.resolve("homes"), garbage, false, "127.0.0.1"),
                ACME_ONLY)).isInstanceOf(IllegalStateException.class).hasMessageContaining("HUB_SFTP_HOST_KEY");
        assertThat(garbage).hasContent("not a key");
    }

    /** A server on loopback over {@code homes}, with a host key it makes itself, letting acme in. */
    private PartnerSftpServer localServer(Path homes) throws IOException {
        return new PartnerSftpServer(settings(homes, dir.resolve("made/host-key.pem"), true, "127.0.0.1"), ACME_ONLY);
    }

    private static PartnerSftpServer.Settings settings(Path homes, Path hostKey, boolean makeHostKey, String bind) {
        return new PartnerSftpServer.Settings(homes, hostKey, makeHostKey, bind, 0, HUB_USER, HUB_PASSWORD,
                java.time.Duration.ofHours(6), MAX_FILE_BYTES);
    }

    /** An OpenSSH-format key, as {@code ssh-keygen -t ecdsa} writes one for the operators' Secret. */
    private static Path writeHostKey(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        var pair = KeyUtils.generateKeyPair(org.apache.sshd.common.keyprovider.KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "host key", null, out);
        }
        return file;
    }

    private static java.util.List<String> names(SftpClient sftp, String path) throws IOException {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (SftpClient.DirEntry entry : sftp.readDir(path)) {
            names.add(entry.getFilename());
        }
        return names;
    }

    private static java.util.List<String> allNames(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static java.util.List<String> visibleNames(Path folder) throws IOException {
        return allNames(folder).stream().filter(name -> !name.startsWith(".")).toList();
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return Optional.of(address);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
