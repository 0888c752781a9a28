package com.invoicehub.platform.sftp;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;

import com.invoicehub.platform.HubProperties;
import com.invoicehub.support.FixedLocalStackMode;

/** What a production node refuses to start with, before it listens: each node making its own host key, and a hub
 * login that a partner could be given. */
class PartnerSftpConfigurationTest {

    @Test
    void outsideTheLocalStackTheHostKeyMustBeNamed() {
        assertThatThrownBy(() -> start("_hub", "", false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("HUB_SFTP_HOST_KEY is not set");
    }

    @Test
    void theHubsOwnLoginMayNeverBeShapedLikeAPartnerId() {
        assertThatThrownBy(() -> start("acme-university", "/run/secrets/sftp/host-key", false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("HUB_SFTP_HUB_USER 'acme-university'");
    }

    private static void start(String hubUser, String hostKey, boolean localStackActive) throws Exception {
        HubProperties hub = new HubProperties(Path.of("target/test-data/sftp-config"), null, null, null,
                new HubProperties.Sftp(true, "localhost", 0, hubUser, "", "", "127.0.0.1",
                        Path.of("target/test-data/sftp-config/homes"), hostKey, java.time.Duration.ofHours(6)),
                null, null, null, null, null);
        new PartnerSftpConfiguration.HubServed().partnerSftpServer(hub, null, null, null, Clock.systemUTC(),
                new FixedLocalStackMode(localStackActive), new StandardEnvironment());
    }
}
