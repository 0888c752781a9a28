package com.invoicehub.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Makes the keys and secrets handed to partners and customers, and the one-way hash an API key is stored as.
 * API keys are 256 random bits, so SHA-256 (not a slow password hash) is enough and lets us look a key up.
 */
public final class Credentials {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Credentials() {
    }

    /** {@code <prefix>_<43 url-safe characters>}; the prefix tells a leaked key's kind at a glance. */
    public static String newApiKey(String prefix) {
        return prefix + "_" + randomUrlSafe(32);
    }

    /** A Standard Webhooks secret: {@code whsec_} + base64 of 32 random bytes. */
    public static String newSigningSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getEncoder().encodeToString(bytes);
    }

    public static String newPassword() {
        return randomUrlSafe(18);
    }

    public static String hashApiKey(String apiKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomUrlSafe(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
