package com.invoicehub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import com.invoicehub.ingest.Channel;
import com.invoicehub.ingest.IncomingFile;

/** A fresh partner and customer per test, and standard-csv files of their line items. */
@Component
public class IngestFixtures {

    public static final String HEADER =
            "external_id,customer_id,customer_user_id,user_name,expense_type,amount,currency,service_date,description";

    private final Api api;

    IngestFixtures(Api api) {
        this.api = api;
    }

    public record Fixture(String partnerId, String customerId) {
    }

    public Fixture fresh() {
        String partner = TestData.id("partner");
        String customer = TestData.id("customer");
        check(api.asOps("POST", "/api/v1/partners", TestData.partnerJson(partner)));
        check(api.asOps("POST", "/api/v1/customers", TestData.customerJson(customer)));
        return new Fixture(partner, customer);
    }

    /** {@code rows} valid items of the fixture's customer: X-1 … X-n, 10.00 … each. */
    public List<String> rows(Fixture fixture, int count) {
        List<String> rows = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            rows.add(String.join(",", fixture.partnerId() + "-" + i, fixture.customerId(), "emp-" + (i % 7),
                    "Employee " + (i % 7), "TUITION", (10 + i) + ".00", "USD", "2026-10-" + (10 + i % 18),
                    "Course " + i));
        }
        return rows;
    }

    public Path csv(List<String> rows) {
        try {
            Path file = Files.createTempFile("fixture-", ".csv");
            List<String> lines = new ArrayList<>();
            lines.add(HEADER);
            lines.addAll(rows);
            Files.write(file, lines);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public IncomingFile incoming(Fixture fixture, String mapping, Path file) {
        return new IncomingFile(fixture.partnerId(), Channel.SFTP, mapping, file.getFileName().toString(),
                file.getFileName() + "|" + TestData.id("receipt"), file);
    }

    private static void check(Api.Response response) {
        if (response.status() != 201) {
            throw new IllegalStateException(response.body());
        }
    }
}
