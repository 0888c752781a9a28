package com.invoicehub.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.security.crypto.encrypt.AesBytesEncryptor;
import org.springframework.security.crypto.keygen.KeyGenerators;

/**
 * Encrypts the secrets the hub must use again later (partner signing secrets, customer webhook secrets, EDI
 * passwords): AES-256-GCM with a random IV per value. The stored form is {@code v1:<base64(iv + ciphertext)>}.
 * <p>
 * While the key is rotated a second, previous key may be given ({@code HUB_ENCRYPTION_KEY_PREVIOUS}): values are
 * always encrypted under the current key and read under either (GCM's tag tells which one fits), purpose keys are
 * derived from both (a link signed under the previous key stays genuine), and {@link EncryptionKeyRotation}
 * re-encrypts what is still stored under the previous one.
 */
public class SecretCipher {

    private static final String VERSION = "v1:";

    private record Key(byte[] bytes, AesBytesEncryptor encryptor) {
    }

    private final Key current;
    private final Optional<Key> previous;

    public SecretCipher(String base64Key) {
        this(base64Key, null);
    }

    public SecretCipher(String base64Key, String previousBase64Key) {
        this.current = key(base64Key, "hub.security.encryption-key (HUB_ENCRYPTION_KEY)");
        this.previous = previousBase64Key == null || previousBase64Key.isBlank() ? Optional.empty()
                : Optional.of(key(previousBase64Key,
                        "hub.security.encryption-key-previous (HUB_ENCRYPTION_KEY_PREVIOUS)"));
    }

    private static Key key(String base64Key, String setting) {
        byte[] key = Base64.getDecoder().decode(base64Key.trim());
        if (key.length != 32) {
            throw new IllegalArgumentException(setting + " must be base64 of 32 bytes; it is " + key.length
                    + " bytes");
        }
        return new Key(key, new AesBytesEncryptor(new SecretKeySpec(key, "AES"), KeyGenerators.secureRandom(12),
                AesBytesEncryptor.CipherAlgorithm.GCM));
    }

    public String encrypt(String plain) {
        return VERSION + Base64.getEncoder().encodeToString(
                current.encryptor().encrypt(plain.getBytes(StandardCharsets.UTF_8)));
    }

    public String decrypt(String stored) {
        byte[] bytes = bytesOf(stored);
        try {
            return decrypt(current, bytes);
        } catch (RuntimeException notCurrent) {
            if (previous.isEmpty()) {
                throw notCurrent;
            }
            return decrypt(previous.get(), bytes);
        }
    }

    /** Whether a previous key is given: some stored values may still need re-encrypting. */
    public boolean rotating() {
        return previous.isPresent();
    }

    /**
     * The value encrypted under the current key when it is stored under the previous one; empty when it is already
     * under the current key. Fails when neither key reads it.
     */
    public Optional<String> reencrypted(String stored) {
        byte[] bytes = bytesOf(stored);
        try {
            decrypt(current, bytes);
            return Optional.empty();
        } catch (RuntimeException notCurrent) {
            if (previous.isEmpty()) {
                throw notCurrent;
            }
            return Optional.of(encrypt(decrypt(previous.get(), bytes)));
        }
    }

    /**
     * A key for one purpose (say, signing approval links), derived from the hub key by HMAC, so a signature made
     * with it can never be confused with the cipher's own use of the key.
     */
    public byte[] derivedKey(String purpose) {
        return hmacSha256(current.bytes(), purpose.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #derivedKey} under the current key, then under the previous one while it is given: sign with the
     * first, accept a signature under any. */
    public List<byte[]> derivedKeys(String purpose) {
        List<byte[]> keys = new ArrayList<>(List.of(derivedKey(purpose)));
        previous.ifPresent(key -> keys.add(hmacSha256(key.bytes(), purpose.getBytes(StandardCharsets.UTF_8))));
        return keys;
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

    private static byte[] bytesOf(String stored) {
        if (!stored.startsWith(VERSION)) {
            throw new IllegalArgumentException("unknown secret format");
        }
        return Base64.getDecoder().decode(stored.substring(VERSION.length()));
    }

    private static String decrypt(Key key, byte[] bytes) {
        return new String(key.encryptor().decrypt(bytes), StandardCharsets.UTF_8);
    }
}
