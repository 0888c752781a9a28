package com.invoicehub.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.invoicehub.ingest.pipeline.FileIngestion;
import com.invoicehub.support.Api;
import com.invoicehub.support.HubIntegrationTest;
import com.invoicehub.support.IngestFixtures;
import com.invoicehub.support.IngestFixtures.Fixture;
import com.invoicehub.support.MutableClock;

/**
 * Report windows and as-of values given as dates (read in UTC or {@code ?zone=}) or timestamps, and what a bad one
 * answers (CONTRACT §8, issue 15). The items are applied at 23:30 UTC: the next day already in Tokyo.
 */
@HubIntegrationTest
class ReportWindowsTest {

    @Autowired
    Api api;
    @Autowired
    IngestFixtures fixtures;
    @Autowired
    FileIngestion ingestion;
    @Autowired
    MutableClock clock;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void windowsTakeDatesInUtcOrTheZoneGivenAndTimestamps() {
        Fixture fixture = fixtures.fresh();
        LocalDate day = LocalDate.parse("2027-03-02").plusDays(Math.floorMod(System.nanoTime(), 400) * 3);
        clock.set(day.atTime(23, 30).toInstant(ZoneOffset.UTC));
        ingestion.ingest(fixtures.incoming(fixture, "standard-csv", fixtures.csv(fixtures.rows(fixture, 3))));
        String mine = "&partnerId=" + fixture.partnerId();

        assertThat(matchRate("from=" + day + "&to=" + day + mine).get("total").asInt()).isEqualTo(3);
        assertThat(matchRate("from=" + day.plusDays(1) + "&to=" + day.plusDays(1) + mine).get("total").asInt())
                .isZero();
        JsonNode tokyo = matchRate("from=" + day.plusDays(1) + "&to=" + day.plusDays(1) + "&zone=Asia/Tokyo" + mine);
        assertThat(tokyo.get("total").asInt()).isEqualTo(3);
        assertThat(tokyo.get("from").asText()).isEqualTo(day.plusDays(1) + "T00:00:00+09:00");
        assertThat(tokyo.get("to").asText()).isEqualTo(day.plusDays(2) + "T00:00:00+09:00");
        assertThat(matchRate("from=" + day + "&to=" + day + "&zone=Asia/Tokyo" + mine).get("total").asInt())
                .isZero();
        assertThat(matchRate("from=" + day + "T23:00:00Z&to=" + day + "T23:59:00Z" + mine).get("total").asInt())
                .isEqualTo(3);
        assertThat(matchRate("from=" + day + "T23:00:00%2B00:00&to=" + day.plusDays(1) + mine).get("total").asInt())
                .isEqualTo(3);

        Api.Response reconciliation = api.asOps("GET", "/api/v1/reports/reconciliation?from=" + day + "&to="
                + day.plusDays(1) + "&zone=Asia/Kolkata", null);
        assertThat(reconciliation.status()).as(reconciliation.body()).isEqualTo(200);
        assertThat(reconciliation.json().get("from").asText()).isEqualTo(day + "T00:00:00+05:30");

        Api.Response attempts = api.asOps("GET", "/api/v1/ingest/attempts?from=" + day.plusDays(1) + "&to="
                + day.plusDays(1) + "&zone=Asia/Tokyo" + mine, null);
        assertThat(attempts.status()).as(attempts.body()).isEqualTo(200);
        assertThat(attempts.json().get("items")).hasSize(3);
        assertThat(api.asOps("GET", "/api/v1/ingest/attempts?from=" + day.plusDays(1) + mine, null)
                .json().get("items")).isEmpty();
    }

    @Test
    void asOfADateIsTheEndOfThatDay() {
        Fixture fixture = fixtures.fresh();
        LocalDate day = LocalDate.parse("2027-03-03").plusDays(Math.floorMod(System.nanoTime(), 400) * 3);
        Instant appliedAt = day.atTime(23, 30).toInstant(ZoneOffset.UTC);
        clock.set(appliedAt);
        ingestion.ingest(fixtures.incoming(fixture, "standard-csv", fixtures.csv(fixtures.rows(fixture, 2))));

        assertThat(outstandingItems(fixture, "asOf=" + day)).isEqualTo(2);
        assertThat(outstandingItems(fixture, "asOf=" + day.minusDays(1))).isZero();
        assertThat(outstandingItems(fixture, "asOf=" + day + "&zone=Asia/Tokyo")).isZero();
        assertThat(outstandingItems(fixture, "asOf=" + day.plusDays(1) + "&zone=Asia/Tokyo")).isEqualTo(2);
        assertThat(outstandingItems(fixture, "asOf=" + appliedAt.minus(1, ChronoUnit.SECONDS))).isZero();
        assertThat(outstandingItems(fixture, "asOf=" + appliedAt)).isEqualTo(2);
        assertThat(outstandingItems(fixture, "")).as("now, by the hub's clock").isEqualTo(2);
    }

    @Test
    void aBadValueIsAnsweredWithTheAcceptedFormats() {
        Api.Response badDate = api.asOps("GET", "/api/v1/reports/reconciliation?from=2026-13-01&to=2026-12-01", null);
        assertThat(badDate.status()).isEqualTo(400);
        assertThat(badDate.json().get("error").asText()).isEqualTo("validation_failed");
        assertThat(badDate.json().get("field").asText()).isEqualTo("from");
        assertThat(badDate.json().get("message").asText()).isEqualTo("from: '2026-13-01' is not a date (yyyy-MM-dd, "
                + "e.g. 2026-09-01) or a timestamp with offset (e.g. 2026-09-01T00:00:00Z or 2026-09-01T00:00:00+02:00)");

        Api.Response badAsOf = api.asOps("GET", "/api/v1/reports/outstanding?asOf=tomorrow", null);
        assertThat(badAsOf.status()).isEqualTo(400);
        assertThat(badAsOf.json().get("field").asText()).isEqualTo("asOf");
        assertThat(badAsOf.json().get("message").asText()).contains("yyyy-MM-dd", "2026-09-01T00:00:00Z");

        Api.Response unescapedPlus = api.asOps("GET",
                "/api/v1/reports/match-rate?from=2026-09-01T00:00:00+02:00&to=2026-09-02", null);
        assertThat(unescapedPlus.status()).isEqualTo(400);
        assertThat(unescapedPlus.json().get("message").asText()).contains("%2B");

        Api.Response badZone = api.asOps("GET",
                "/api/v1/reports/match-rate?from=2026-09-01&to=2026-09-02&zone=Mars/Olympus", null);
        assertThat(badZone.status()).isEqualTo(400);
        assertThat(badZone.json().get("field").asText()).isEqualTo("zone");
        assertThat(badZone.json().get("message").asText()).contains("IANA", "Europe/Berlin");

        Api.Response backwards = api.asOps("GET", "/api/v1/reports/match-rate?from=2026-09-02&to=2026-09-01", null);
        assertThat(backwards.status()).isEqualTo(400);
        assertThat(backwards.json().get("field").asText()).isEqualTo("to");

        // Without to, a window ends now (the issue's own example); one starting later than now has nothing in it.
        Api.Response sinceSeptember = api.asOps("GET", "/api/v1/reports/reconciliation?from=2026-09-01", null);
        assertThat(sinceSeptember.status()).isEqualTo(200);
        assertThat(sinceSeptember.json().get("from").asText()).startsWith("2026-09-01T00:00");
        Api.Response future = api.asOps("GET", "/api/v1/reports/match-rate?from=9999-12-30", null);
        assertThat(future.status()).isEqualTo(400);
        assertThat(future.json().get("field").asText()).isEqualTo("to");
        Api.Response missing = api.asOps("GET", "/api/v1/reports/match-rate", null);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("field").asText()).isEqualTo("from");

        Api.Response badAttempts = api.asOps("GET", "/api/v1/ingest/attempts?to=2026-02-30", null);
        assertThat(badAttempts.status()).isEqualTo(400);
        assertThat(badAttempts.json().get("field").asText()).isEqualTo("to");
    }

    private JsonNode matchRate(String query) {
        Api.Response response = api.asOps("GET", "/api/v1/reports/match-rate?" + query, null);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private long outstandingItems(Fixture fixture, String query) {
        Api.Response response = api.asOps("GET", "/api/v1/reports/outstanding?" + query, null);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        for (JsonNode customer : response.json().get("items")) {
            if (customer.get("customerId").asText().equals(fixture.customerId())) {
                return customer.get("notInvoiced").get("items").asLong();
            }
        }
        return 0;
    }
}
