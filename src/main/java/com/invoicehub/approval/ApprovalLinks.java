package com.invoicehub.approval;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;


import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import com.invoicehub.platform.HubProperties;
import com.invoicehub.platform.LocalStackMode;
import com.invoicehub.security.SecretCipher;

/**
 * The link in an approval mail: {@code /approvals/<request id>-<HMAC>}. The HMAC (under a key derived from the hub
 * key) covers the request id, invoice, approver and expiry, so a link cannot be guessed or altered, and nothing
 * secret sits in the database: the same link can be rebuilt from the row to resend a mail.
 */
@Component
class ApprovalLinks {

    /** The current key signs; while the hub key is rotated a link signed under the previous one is still genuine. */
    private final List<byte[]> keys;
    private final String publicUrl;
    private final Environment environment;

    ApprovalLinks(SecretCipher cipher, HubProperties hub, Environment environment,
                  LocalStackMode localStack) {
        this.keys = cipher.derivedKeys("approval-links/v1");
        this.publicUrl = hub.approval().publicUrl();
        this.environment = environment;
        if ((publicUrl == null || publicUrl.isBlank()) && !localStack.active()) {
            LoggerFactory.getLogger(ApprovalLinks.class).warn("HUB_PUBLIC_URL is not set: approval links in mails "
                    + "will point at http://localhost, which approvers cannot open. Set it to the hub's address.");
        }
    }

    String token(ApprovalRequest request) {
        return token(request, keys.get(0));
    }

    private static String token(ApprovalRequest request, byte[] key) {
        String signed = request.id() + "|" + request.invoiceId() + "|" + request.approverEmail() + "|"
                + request.expiresAt().getEpochSecond();
        return request.id() + "-" + Base64.getUrlEncoder().withoutPadding().encodeToString(
                SecretCipher.hmacSha256(key, signed.getBytes(StandardCharsets.UTF_8)));
    }

    /** The request id a token claims to be for; empty when it is not shaped like a token at all. */
    static OptionalLong requestIdOf(String token) {
        int dash = token == null ? -1 : token.indexOf('-');
        if (dash <= 0 || dash > 18) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(token.substring(0, dash)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    boolean isGenuine(String token, ApprovalRequest request) {
        boolean genuine = false;
        for (byte[] key : keys) {
            genuine |= MessageDigest.isEqual(token.getBytes(StandardCharsets.US_ASCII),
                    token(request, key).getBytes(StandardCharsets.US_ASCII));
        }
        return genuine;
    }

    String url(ApprovalRequest request) {
        String base = publicUrl == null || publicUrl.isBlank()
                ? "http://localhost:" + environment.getProperty("local.server.port",
                        environment.getProperty("server.port", "8080"))
                : publicUrl.replaceAll("/+$", "");
        return base + "/approvals/" + token(request);
    }

    static boolean expired(ApprovalRequest request, Instant now) {
        return !now.isBefore(request.expiresAt());
    }
}
