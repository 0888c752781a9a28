package com.invoicehub.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class StandardWebhooksTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsThePublishedVector() {
        assertThat(StandardWebhooks.sign(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, BODY))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void verifiesAnyOfSeveralSignaturesAndNothingElse() {
        String good = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        assertThat(StandardWebhooks.signatureMatches(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, BODY,
                "v1,b2xkIHNpZ25hdHVyZQ== " + good)).isTrue();
        assertThat(StandardWebhooks.signatureMatches(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265331, BODY, good))
                .isFalse();
        byte[] flipped = BODY.clone();
        flipped[3] ^= 1;
        assertThat(StandardWebhooks.signatureMatches(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, flipped,
                good)).isFalse();
        assertThat(StandardWebhooks.signatureMatches(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, BODY,
                "v2," + good.substring(3))).isFalse();
        assertThat(StandardWebhooks.signatureMatches(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, BODY, null))
                .isFalse();
    }

    @Test
    void timestampsMoreThanFiveMinutesOffAreStale() {
        Instant now = Instant.ofEpochSecond(1_800_000_000L);
        assertThat(StandardWebhooks.timestampFresh(now.getEpochSecond() - 300, now)).isTrue();
        assertThat(StandardWebhooks.timestampFresh(now.getEpochSecond() - 301, now)).isFalse();
        assertThat(StandardWebhooks.timestampFresh(now.getEpochSecond() + 301, now)).isFalse();
    }
}
