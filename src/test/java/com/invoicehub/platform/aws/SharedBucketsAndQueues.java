package com.invoicehub.platform.aws;

import com.invoicehub.platform.HubProperties;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The hub's own provisioning (buckets, the partner queue and its dead-letter queue with the redrive policy), run by
 * the fault suite against the S3 and SQS servers it shares between hub processes. Test code only.
 */
public final class SharedBucketsAndQueues {

    public record Provisioned(String queueUrl, String deadLetterQueueUrl) {
    }

    private SharedBucketsAndQueues() {
    }

    public static Provisioned provision(S3Client s3, SqsClient sqs, HubProperties.S3 s3Settings,
                                        HubProperties.Sqs sqsSettings) {
        HubProperties hub = new HubProperties(null, null, null, null, null, s3Settings, sqsSettings, null, null, null);
        BucketsAndQueues provisioning = new BucketsAndQueues(s3, sqs, hub);
        provisioning.provision(true);
        return new Provisioned(provisioning.queueUrl(), provisioning.deadLetterQueueUrl());
    }
}
