package com.invoicehub.platform.aws;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.invoicehub.platform.HubProperties;
import com.invoicehub.platform.localstack.EmbeddedS3Server;
import com.invoicehub.platform.localstack.EmbeddedSqsServer;
import com.invoicehub.platform.localstack.LocalStack;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One S3 and one SQS client for the whole hub (Camel's aws2 components pick them up), pointed at the local
 * stack or at the configured endpoint. Path-style and checksums "when required" so non-AWS servers work too.
 */
@Configuration(proxyBeanMethods = false)
class AwsClientsConfiguration {

    @Bean(destroyMethod = "close")
    S3Client s3Client(HubProperties hub, ObjectProvider<EmbeddedS3Server> embedded, LocalStack localStack,
                      @Value("${hub.s3.call-timeout:PT30M}") Duration callTimeout) {
        HubProperties.S3 s3 = hub.s3();
        EmbeddedS3Server local = embedded.getIfAvailable();
        String endpoint = local != null ? local.endpoint() : s3.endpoint();
        AwsCredentialsProvider credentials = credentials(s3.accessKey(), s3.secretKey(), local != null, localStack,
                "s3");
        S3Client client = S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(s3.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // An overall bound on every call, retries included (the HTTP client's timeouts are per read): an S3
                // that trickles cannot hold an archive upload, and so a receipt, forever.
                .overrideConfiguration(c -> c.apiCallTimeout(callTimeout))
                .build();
        if (local != null) {
            localStack.report("s3", Map.of("endpoint", endpoint, "region", s3.region(),
                    "accessKey", credentials.resolveCredentials().accessKeyId(),
                    "secretKey", credentials.resolveCredentials().secretAccessKey(),
                    "buckets", List.of(s3.dropBucket(), s3.archiveBucket())));
        }
        return client;
    }

    @Bean(destroyMethod = "close")
    SqsClient sqsClient(HubProperties hub, ObjectProvider<EmbeddedSqsServer> embedded, LocalStack localStack) {
        HubProperties.Sqs sqs = hub.sqs();
        EmbeddedSqsServer local = embedded.getIfAvailable();
        String endpoint = local != null ? local.endpoint() : sqs.endpoint();
        return SqsClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(sqs.region()))
                .credentialsProvider(credentials(sqs.accessKey(), sqs.secretKey(), local != null, localStack, "sqs"))
                .build();
    }

    @Bean
    BucketsAndQueues bucketsAndQueues(S3Client s3, SqsClient sqs, HubProperties hub, LocalStack localStack,
                                      ObjectProvider<EmbeddedSqsServer> embeddedSqs,
                                      @Value("${hub.provision:true}") boolean provision) {
        BucketsAndQueues provisioning = new BucketsAndQueues(s3, sqs, hub);
        provisioning.provision(provision);
        localStack.publish("hub.sqs.queue-url", provisioning.queueUrl());
        localStack.publish("hub.sqs.dead-letter-queue-url", provisioning.deadLetterQueueUrl());
        EmbeddedSqsServer local = embeddedSqs.getIfAvailable();
        if (local != null) {
            localStack.report("sqs", Map.of("endpoint", local.endpoint(), "region", hub.sqs().region(),
                    "accessKey", localStack.secrets().password("sqs.access-key"),
                    "secretKey", localStack.secrets().password("sqs.secret-key"),
                    "queueUrl", provisioning.queueUrl(),
                    "deadLetterQueueUrl", provisioning.deadLetterQueueUrl()));
        }
        return provisioning;
    }

    /**
     * Given keys win; the local stack's servers accept any key, so it makes random ones (reported, not checked);
     * otherwise the SDK's default chain (environment, profile, instance role).
     */
    private static AwsCredentialsProvider credentials(String accessKey, String secretKey, boolean local,
                                                      LocalStack localStack, String piece) {
        if (accessKey != null && !accessKey.isBlank()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
        }
        if (local) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    localStack.secrets().password(piece + ".access-key"),
                    localStack.secrets().password(piece + ".secret-key")));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
