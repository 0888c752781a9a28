package com.invoicehub.shared;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature scheme (standardwebhooks.com): HMAC-SHA256 over
 * {@code <webhook-id>.<webhook-timestamp>.<body>} with the secret's bytes ({@code whsec_} + base64), sent as
 * {@code v1,<base64>}; a header may carry several signatures separated by spaces (secret rotation). Used both to
 * verify partners' webhooks and to sign the hub's own.
 */
public final class StandardWebhooks {

    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    private StandardWebhooks() {
    }

    /** {@code v1,<base64 HMAC-SHA256>} of the message. */
    public static String sign(String secret, String webhookId, long timestamp, byte[] body) {
        return "v1," + Base64.getEncoder().encodeToString(hmac(secret, webhookId, timestamp, body));
    }

    /** Whether one of the header's signatures is the message's (constant-time compare). */
    public static boolean signatureMatches(String secret, String webhookId, long timestamp, byte[] body,
                                           String signatureHeader) {
        if (signatureHeader == null || signatureHeader.isBlank()) {
            return false;
        }
        byte[] expected = hmac(secret, webhookId, timestamp, body);
        boolean matches = false;
        for (String candidate : signatureHeader.trim().split(" +")) {
            int comma = candidate.indexOf(',');
            if (comma < 0 || !"v1".equals(candidate.substring(0, comma))) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(candidate.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            matches |= MessageDigest.isEqual(expected, given);
        }
        return matches;
    }

    /** Whether the timestamp is within the tolerance of now, either way. */
    public static boolean timestampFresh(long timestamp, Instant now) {
        return Math.abs(now.getEpochSecond() - timestamp) <= TOLERANCE.toSeconds();
    }

    /**
     * Whether the timestamp is at most {@code maxAge} in the past and at most the tolerance in the future: for queued
     * messages, which may wait in a queue long after they were signed.
     */
    public static boolean timestampWithin(long timestamp, Instant now, Duration maxAge) {
        long age = now.getEpochSecond() - timestamp;
        return age <= maxAge.toSeconds() && -age <= TOLERANCE.toSeconds();
    }

    private static byte[] hmac(String secret, String webhookId, long timestamp, byte[] body) {
        try {
            String base64 = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(base64), "HmacSHA256"));
            mac.update((webhookId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
