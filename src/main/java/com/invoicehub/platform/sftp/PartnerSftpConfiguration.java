package com.invoicehub.platform.sftp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import com.invoicehub.platform.DatabaseAvailability;
import com.invoicehub.platform.DatabaseSettings;
import com.invoicehub.platform.HubProperties;
import com.invoicehub.platform.LocalStackMode;
import com.invoicehub.shared.Ids;

/**
 * Partners' SFTP: the hub's own server ({@code hub.sftp.embedded}, the default in every shape) or an outside one.
 * With its own server the hub reads the homes through that server over loopback, so the server publishes where it
 * listens, its host key and the hub's login into the environment the SFTP routes resolve.
 */
@Configuration(proxyBeanMethods = false)
class PartnerSftpConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "hub.sftp.embedded", havingValue = "true", matchIfMissing = true)
    static class HubServed {

        @Bean(destroyMethod = "close")
        PartnerSftpServer partnerSftpServer(HubProperties hub, SftpAccounts accounts, DatabaseAvailability database,
                                            DatabaseSettings settings, Clock clock, LocalStackMode localStack,
                                            ConfigurableEnvironment environment) throws IOException {
            HubProperties.Sftp sftp = hub.sftp();
            String hubPassword = sftp.hubPassword() != null && !sftp.hubPassword().isBlank() ? sftp.hubPassword()
                    : localStack.active() ? localStack.password("sftp.hub-password") : randomPassword();
            if (Ids.isValid(sftp.hubUser())) {
                throw new IllegalStateException("HUB_SFTP_HUB_USER '" + sftp.hubUser() + "' could be a partner's id: "
                        + "the hub's own login must not (the default, _hub, cannot)");
            }
            boolean ownHostKey = sftp.hostKey() == null || sftp.hostKey().isBlank();
            if (ownHostKey && !localStack.active()) {
                // Several nodes that each made a key would answer partners with different keys.
                throw new IllegalStateException("HUB_SFTP_HOST_KEY is not set: outside the local stack the partners' "
                        + "SFTP server needs one host key file every node mounts (ssh-keygen -t ecdsa -b 256 -N '' "
                        + "-f host-key); or set HUB_SFTP_EMBEDDED=false to read an outside server");
            }
            Path hostKey = ownHostKey ? hub.dataDir().resolve("sftp/host-key.pem") : Path.of(sftp.hostKey());
            PartnerSftpServer server = new PartnerSftpServer(new PartnerSftpServer.Settings(sftp.homesDir(), hostKey,
                    ownHostKey, sftp.bindAddress(), sftp.port(), sftp.hubUser(), hubPassword,
                    sftp.abandonedUploadAge(),
                    // The same bound the ingest applies to an SFTP file (IngestLimits), enforced while it is written.
                    environment.getProperty("hub.ingest.max-file-bytes.sftp", Long.class, 1_073_741_824L)),
                    new OutageAwareSftpAccounts(accounts, database, settings.sftpLoginCacheTtl(), clock));

            Path knownHosts = hub.dataDir().resolve("sftp/known_hosts").toAbsolutePath();
            Files.createDirectories(knownHosts.getParent());
            Files.writeString(knownHosts, server.knownHostsLine("localhost") + "\n");
            Map<String, Object> published = new LinkedHashMap<>();
            published.put("hub.sftp.host", "localhost");
            published.put("hub.sftp.port", server.port());
            published.put("hub.sftp.known-hosts", knownHosts.toString());
            published.put("hub.sftp.hub-password", hubPassword);
            environment.getPropertySources().addFirst(new MapPropertySource("partnerSftpServer", published));
            if (localStack.active()) {
                localStack.report("sftp", Map.of("host", "localhost", "port", server.port(), "hostKeyFingerprint",
                        server.hostKeyFingerprint(), "hubUser", sftp.hubUser(), "hubPassword", hubPassword,
                        "homes", server.root().toString()));
            }
            return server;
        }

        @Bean
        SftpHomes sftpHomes(PartnerSftpServer server) {
            return new PartnerSftpHomes(server.root());
        }

        private static String randomPassword() {
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "hub.sftp.embedded", havingValue = "false")
    static class Outside {

        @Bean
        SftpHomes sftpHomes() {
            return new ExternalSftpHomes();
        }
    }
}
