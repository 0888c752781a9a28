package com.invoicehub.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.invoicehub.platform.localstack.LocalStack;
import com.invoicehub.support.TestData;
import com.invoicehub.support.HubIntegrationTest;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import static org.awaitility.Awaitility.await;

/** Every piece of the local stack is a real server, reachable by an ordinary client on its port. */
@HubIntegrationTest
class LocalStackTest {

    @Autowired
    LocalStack localStack;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    S3Client s3;
    @Autowired
    SqsClient sqs;
    @Autowired
    com.invoicehub.support.SqsMessages sqsMessages;
    @Autowired
    ProducerTemplate camel;
    @Autowired
    Environment environment;

    JsonNode report() throws Exception {
        return new ObjectMapper().readTree(Files.readString(localStack.dataDir().resolve("local-stack.json")));
    }


    @org.junit.jupiter.api.AfterEach
    void leaveNoDeadLetters() {
        sqsMessages.clearDeadLetters(); // the reconciliation of every later test counts them
    }

    @Test
    void reportListsEveryEndpointAndLocalCredential() throws Exception {
        JsonNode report = report();
        assertThat(report.get("http").asText()).isEqualTo("http://localhost:" + environment.getProperty("local.server.port"));
        assertThat(report.get("ops").get("user").asText()).isEqualTo("ops");
        assertThat(report.get("sftp").get("hostKeyFingerprint").asText()).startsWith("SHA256:");
        assertThat(report.get("s3").get("endpoint").asText()).startsWith("http://localhost:");
        assertThat(report.get("s3").get("accessKey").asText()).isNotBlank();
        assertThat(report.get("sqs").get("queueUrl").asText()).endsWith("/partner-line-items");
        assertThat(report.get("sqs").get("deadLetterQueueUrl").asText()).endsWith("/partner-line-items-dlq");
        assertThat(report.get("mail").get("password").asText()).isNotBlank();
        assertThat(report.get("mail").get("imapPort").asInt()).isPositive();
    }

    @Test
    void postgresHasTheWholeSchemaFromFlyway() {
        Integer tables = jdbc.sql("""
                        select count(*) from information_schema.tables where table_schema = 'public' and table_name in
                        ('partners','customers','customer_users','source_files','source_records','attempts',
                         'line_items','billing_schedules','invoices','invoice_lines','invoice_line_items',
                         'approval_tokens','deliveries','delivery_attempts','audit_events','camel_messageprocessed',
                         'webhook_receipts','edi_control_numbers','invoice_artifacts')
                        """).query(Integer.class).single();
        assertThat(tables).isEqualTo(19);
        assertThat(jdbc.sql("select version()").query(String.class).single()).startsWith("PostgreSQL 18");
    }

    @Test
    void s3EndpointStoresAndReturnsObjectsInBothBuckets() {
        String key = TestData.id("probe") + ".txt";
        for (String bucket : new String[] {"partner-drops", "hub-archive"}) {
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("hello " + bucket));
            assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String()).isEqualTo("hello " + bucket);
        }
    }

    @Test
    void sqsQueueHasADeadLetterQueueWhereAnUnprocessableMessageEnds() throws Exception {
        String queueUrl = report().get("sqs").get("queueUrl").asText();
        String redrive = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributes().get(QueueAttributeName.REDRIVE_POLICY);
        assertThat(redrive).contains("partner-line-items-dlq").contains("5");

        // A message the hub cannot process at all (no partnerId attribute) ends in the dead-letter queue: the hub
        // moves it there itself, with its reason; the redrive policy is the backstop for failures nobody foresaw.
        String body = "{\"probe\":\"" + TestData.id("poison") + "\"}";
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(sqsMessages.deadLettersContaining(body))
                .extracting(software.amazon.awssdk.services.sqs.model.Message::body).contains(body));
    }

    @Test
    void mailSentThroughTheHubsMailRouteIsReadableOverImap() throws Exception {
        String to = TestData.id("reader") + "@customer.example";
        String subject = "Probe " + to;
        camel.sendBodyAndHeaders("direct:mail-outbound", "Hello from the hub",
                Map.of("To", to, "Subject", subject));

        JsonNode mail = report().get("mail");
        Session session = Session.getInstance(new Properties());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (Store store = session.getStore("imap")) {
                store.connect("localhost", mail.get("imapPort").asInt(), to, mail.get("password").asText());
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                Message[] messages = inbox.getMessages();
                assertThat(messages).hasSize(1);
                assertThat(messages[0].getSubject()).isEqualTo(subject);
                assertThat(messages[0].getFrom()[0].toString()).isEqualTo("invoices@invoice-hub.local");
                inbox.close(false);
            }
        });
    }
}
