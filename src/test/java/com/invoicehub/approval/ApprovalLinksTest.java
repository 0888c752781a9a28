package com.invoicehub.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;

import com.invoicehub.platform.HubProperties;
import com.invoicehub.security.SecretCipher;
import com.invoicehub.support.FixedLocalStackMode;

/** A link mailed before the hub key was rotated still opens while the previous key is given, and never after. */
class ApprovalLinksTest {

    private static final String OLD_KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String NEW_KEY = Base64.getEncoder().encodeToString(
            "the new 32-byte hub encryption k".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    private final ApprovalRequest request = new ApprovalRequest(41, 7, "approver@example.com",
            Instant.parse("2026-12-20T00:00:00Z"), null, null, null, 0, null, null);

    @Test
    void aLinkSignedUnderThePreviousKeyIsGenuineOnlyWhileThatKeyIsGiven() {
        String mailedBeforeRotation = links(new SecretCipher(OLD_KEY)).token(request);

        ApprovalLinks rotating = links(new SecretCipher(NEW_KEY, OLD_KEY, null));
        assertThat(rotating.token(request)).isNotEqualTo(mailedBeforeRotation);
        assertThat(rotating.isGenuine(mailedBeforeRotation, request)).isTrue();
        assertThat(rotating.isGenuine(rotating.token(request), request)).isTrue();

        ApprovalLinks rotated = links(new SecretCipher(NEW_KEY));
        assertThat(rotated.isGenuine(mailedBeforeRotation, request)).isFalse();
        assertThat(rotated.isGenuine(rotating.token(request), request)).isTrue();
        String forged = mailedBeforeRotation.substring(0, mailedBeforeRotation.length() - 2) + "xx";
        assertThat(rotating.isGenuine(forged, request)).isFalse();
    }

    private static ApprovalLinks links(SecretCipher cipher) {
        HubProperties hub = new HubProperties(null, null, null, null, null, null, null, null,
                new HubProperties.Approval(Duration.ofDays(14), "https://hub.example.com", 5000,
                        Duration.ofMinutes(2)), null);
        return new ApprovalLinks(cipher, hub, new StandardEnvironment(), new FixedLocalStackMode(false));
    }
}
