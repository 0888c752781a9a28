package com.invoicehub.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.security.crypto.encrypt.AesBytesEncryptor;
import org.springframework.security.crypto.keygen.KeyGenerators;

/**
 * Encrypts the secrets the hub must use again later (partner signing secrets, customer webhook secrets, EDI
 * passwords): AES-256-GCM with a random IV per value. The stored form is {@code v1:<base64(iv + ciphertext)>}
 * so a later key rotation can tell old values apart.
 */
public class SecretCipher {

    private static final String VERSION = "v1:";

    private final AesBytesEncryptor encryptor;
    private final byte[] key;

    public SecretCipher(String base64Key) {
        byte[] key = Base64.getDecoder().decode(base64Key);
        if (key.length != 32) {
            throw new IllegalArgumentException("hub.security.encryption-key (HUB_ENCRYPTION_KEY) must be base64 of "
                    + "32 bytes; it is " + key.length + " bytes");
        }
        this.key = key;
        this.encryptor = new AesBytesEncryptor(new SecretKeySpec(key, "AES"), KeyGenerators.secureRandom(12),
                AesBytesEncryptor.CipherAlgorithm.GCM);
    }

    public String encrypt(String plain) {
        return VERSION + Base64.getEncoder().encodeToString(encryptor.encrypt(plain.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A key for one purpose (say, signing approval links), derived from the hub key by HMAC, so a signature made
     * with it can never be confused with the cipher's own use of the key.
     */
    public byte[] derivedKey(String purpose) {
        return hmacSha256(key, purpose.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] hmacSha256(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    public String decrypt(String stored) {
        if (!stored.startsWith(VERSION)) {
            throw new IllegalArgumentException("unknown secret format");
        }
        byte[] bytes = Base64.getDecoder().decode(stored.substring(VERSION.length()));
        return new String(encryptor.decrypt(bytes), StandardCharsets.UTF_8);
    }
}
