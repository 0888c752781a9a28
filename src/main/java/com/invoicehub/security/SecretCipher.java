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
 * While the key is rotated (docs/production.md#rotating-secrets) other keys are given beside the current one: the
 * next key ({@code HUB_ENCRYPTION_KEY_NEXT}, step 1: read, never written) and then the previous one
 * ({@code HUB_ENCRYPTION_KEY_PREVIOUS}, step 2). Values are always encrypted under the current key and read under any
 * of them (GCM's tag tells which one fits), purpose keys are derived from each (a link signed under another stays
 * genuine), and {@link EncryptionKeyRotation} moves what is stored under the previous key, and only that key, to the
 * current one: a node of step 1 never moves anything, so nodes of two steps never undo each other.
 */
public class SecretCipher {

    private static final String VERSION = "v1:";

    private record Key(byte[] bytes, AesBytesEncryptor encryptor) {
    }

    private final Key current;
    private final Optional<Key> previous;
    private final Optional<Key> next;

    public SecretCipher(String base64Key) {
        this(base64Key, null, null);
    }

    public SecretCipher(String base64Key, String previousBase64Key, String nextBase64Key) {
        this.current = key(base64Key, "hub.security.encryption-key (HUB_ENCRYPTION_KEY)");
        this.previous = optionalKey(previousBase64Key,
                "hub.security.encryption-key-previous (HUB_ENCRYPTION_KEY_PREVIOUS)");
        this.next = optionalKey(nextBase64Key, "hub.security.encryption-key-next (HUB_ENCRYPTION_KEY_NEXT)");
        if (previous.isPresent() && next.isPresent()) {
            throw new IllegalArgumentException("HUB_ENCRYPTION_KEY_PREVIOUS and HUB_ENCRYPTION_KEY_NEXT are two "
                    + "steps of one rotation: set one of them");
        }
    }

    private static Optional<Key> optionalKey(String base64Key, String setting) {
        return base64Key == null || base64Key.isBlank() ? Optional.empty() : Optional.of(key(base64Key, setting));
    }

    private static Key key(String base64Key, String setting) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException(setting + " must be base64 of 32 bytes (openssl rand -base64 32); it is "
                    + "not base64: " + notBase64.getMessage(), notBase64);
        }
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
            Optional<Key> other = previous.or(() -> next);
            if (other.isEmpty()) {
                throw notCurrent;
            }
            return decrypt(other.get(), bytes);
        }
    }

    /** Whether a previous key is given: stored values under it are to be moved to the current key. */
    public boolean rotating() {
        return previous.isPresent();
    }

    /**
     * The value encrypted under the current key when it is stored under the previous one; empty when it is under the
     * current (or the next) key. Fails when no key the hub has reads it.
     */
    public Optional<String> reencrypted(String stored) {
        byte[] bytes = bytesOf(stored);
        if (reads(current, bytes) || next.filter(key -> reads(key, bytes)).isPresent()) {
            return Optional.empty();
        }
        Key old = previous.filter(key -> reads(key, bytes)).orElseThrow(() -> new IllegalStateException(
                "a stored secret is readable under none of the hub's keys"));
        return Optional.of(encrypt(decrypt(old, bytes)));
    }

    /**
     * A key for one purpose (say, signing approval links), derived from the hub key by HMAC, so a signature made
     * with it can never be confused with the cipher's own use of the key.
     */
    public byte[] derivedKey(String purpose) {
        return hmacSha256(current.bytes(), purpose.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@link #derivedKey} under the current key, then under the previous or next one while it is given: sign with
     * the first, accept a signature under any.
     */
    public List<byte[]> derivedKeys(String purpose) {
        List<byte[]> keys = new ArrayList<>(List.of(derivedKey(purpose)));
        previous.or(() -> next).ifPresent(key -> keys.add(hmacSha256(key.bytes(),
                purpose.getBytes(StandardCharsets.UTF_8))));
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

    private static boolean reads(Key key, byte[] bytes) {
        try {
            decrypt(key, bytes);
            return true;
        } catch (RuntimeException wrongKey) {
            return false;
        }
    }

    private static String decrypt(Key key, byte[] bytes) {
        return new String(key.encryptor().decrypt(bytes), StandardCharsets.UTF_8);
    }
}
