package com.invoicehub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private final String key = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void encryptsWithAFreshIvAndDecryptsBack() {
        SecretCipher cipher = new SecretCipher(key);
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String first = cipher.encrypt(secret);
        assertThat(first).startsWith("v1:").doesNotContain("MfKQ9r8G");
        assertThat(cipher.encrypt(secret)).isNotEqualTo(first);
        assertThat(cipher.decrypt(first)).isEqualTo(secret);
    }

    @Test
    void aTamperedValueOrAWrongKeyDoesNotDecrypt() {
        String stored = new SecretCipher(key).encrypt("secret");
        byte[] bytes = Base64.getDecoder().decode(stored.substring(3));
        bytes[bytes.length / 2] ^= 1;
        String tampered = "v1:" + Base64.getEncoder().encodeToString(bytes);
        assertThatThrownBy(() -> new SecretCipher(key).decrypt(tampered)).isInstanceOf(RuntimeException.class);
        byte[] other = new byte[32];
        other[0] = 1;
        assertThatThrownBy(() -> new SecretCipher(Base64.getEncoder().encodeToString(other)).decrypt(stored))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void whileTheKeyIsRotatedValuesAreReadUnderEitherKeyAndWrittenUnderTheNewOne() {
        byte[] next = new byte[32];
        next[31] = 7;
        String newKey = Base64.getEncoder().encodeToString(next);
        String underOld = new SecretCipher(key).encrypt("whsec_old");
        SecretCipher rotating = new SecretCipher(newKey, key, null);
        assertThat(rotating.rotating()).isTrue();
        assertThat(rotating.decrypt(underOld)).isEqualTo("whsec_old");

        String moved = rotating.reencrypted(underOld).orElseThrow();
        assertThat(new SecretCipher(newKey).decrypt(moved)).isEqualTo("whsec_old");
        assertThat(rotating.reencrypted(moved)).isEmpty();
        assertThat(rotating.reencrypted(rotating.encrypt("fresh"))).isEmpty();
        assertThatThrownBy(() -> new SecretCipher(key).decrypt(rotating.encrypt("fresh")))
                .isInstanceOf(RuntimeException.class);

        // Purpose keys: the current one signs, the previous one is still accepted.
        assertThat(rotating.derivedKeys("links")).hasSize(2);
        assertThat(rotating.derivedKeys("links").get(0)).isEqualTo(new SecretCipher(newKey).derivedKey("links"));
        assertThat(rotating.derivedKeys("links").get(1)).isEqualTo(new SecretCipher(key).derivedKey("links"));
        assertThat(new SecretCipher(key).derivedKeys("links")).hasSize(1);

        byte[] unrelated = new byte[32];
        unrelated[0] = 9;
        String elsewhere = new SecretCipher(Base64.getEncoder().encodeToString(unrelated)).encrypt("x");
        assertThatThrownBy(() -> rotating.reencrypted(elsewhere)).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> rotating.decrypt(elsewhere)).isInstanceOf(RuntimeException.class);
    }

    @Test
    void step1ReadsUnderTheNextKeyButWritesAndMovesNothingUnderIt() {
        byte[] next = new byte[32];
        next[31] = 7;
        String nextKey = Base64.getEncoder().encodeToString(next);
        SecretCipher step1 = new SecretCipher(key, null, nextKey);
        String writtenByAStep2Node = new SecretCipher(nextKey, key, null).encrypt("whsec_new");
        assertThat(step1.rotating()).isFalse();
        assertThat(step1.decrypt(writtenByAStep2Node)).isEqualTo("whsec_new");
        assertThat(step1.reencrypted(writtenByAStep2Node)).as("never moved back to the old key").isEmpty();
        assertThat(new SecretCipher(key).decrypt(step1.encrypt("x"))).isEqualTo("x");
        assertThat(step1.derivedKeys("links").get(1)).isEqualTo(new SecretCipher(nextKey).derivedKey("links"));
        assertThatThrownBy(() -> new SecretCipher(key, nextKey, nextKey))
                .hasMessageContaining("HUB_ENCRYPTION_KEY_PREVIOUS and HUB_ENCRYPTION_KEY_NEXT");
    }

    @Test
    void aKeyThatIsNotBase64IsRefusedByItsSettingsName() {
        assertThatThrownBy(() -> new SecretCipher("abc\\=def"))
                .hasMessageContaining("HUB_ENCRYPTION_KEY").hasMessageContaining("not base64");
        assertThatThrownBy(() -> new SecretCipher(key, "%%%", null))
                .hasMessageContaining("HUB_ENCRYPTION_KEY_PREVIOUS").hasMessageContaining("not base64");
    }

    @Test
    void refusesAKeyOfTheWrongSize() {
        assertThatThrownBy(() -> new SecretCipher(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("HUB_ENCRYPTION_KEY");
    }
}
