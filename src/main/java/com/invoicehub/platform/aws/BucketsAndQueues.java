package com.invoicehub.platform.aws;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.invoicehub.platform.HubProperties;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Makes the hub's buckets and queues when missing (idempotent on S3 and SQS alike), with the partner queue's
 * redrive policy to its dead-letter queue. Where the hub's IAM role may not create them, set
 * {@code hub.provision=false} and create them beforehand with the same names.
 */
public class BucketsAndQueues {

    private static final Logger log = LoggerFactory.getLogger(BucketsAndQueues.class);

    private final S3Client s3;
    private final SqsClient sqs;
    private final HubProperties hub;
    private String queueUrl;
    private String deadLetterQueueUrl;

    BucketsAndQueues(S3Client s3, SqsClient sqs, HubProperties hub) {
        this.s3 = s3;
        this.sqs = sqs;
        this.hub = hub;
    }

    void provision(boolean create) {
        if (!create) {
            queueUrl = sqs.getQueueUrl(b -> b.queueName(hub.sqs().queue())).queueUrl();
            deadLetterQueueUrl = sqs.getQueueUrl(b -> b.queueName(hub.sqs().deadLetterQueue())).queueUrl();
            return;
        }
        // Listing, not HEAD per bucket: local S3 servers log a stack trace for every 404.
        Set<String> existing = s3.listBuckets().buckets().stream()
                .map(Bucket::name)
                .collect(Collectors.toSet());
        for (String bucket : List.of(hub.s3().dropBucket(), hub.s3().archiveBucket())) {
            if (!existing.contains(bucket)) {
                s3.createBucket(b -> b.bucket(bucket));
                log.info("Created bucket {}", bucket);
            }
        }

        deadLetterQueueUrl = sqs.createQueue(b -> b.queueName(hub.sqs().deadLetterQueue())).queueUrl();
        String deadLetterArn = sqs.getQueueAttributes(b -> b.queueUrl(deadLetterQueueUrl)
                        .attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String redrive = "{\"deadLetterTargetArn\":\"" + deadLetterArn + "\",\"maxReceiveCount\":\""
                + hub.sqs().maxReceiveCount() + "\"}";
        queueUrl = sqs.createQueue(b -> b.queueName(hub.sqs().queue())).queueUrl();
        sqs.setQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, redrive)));
        log.info("Queue {} redrives to {} after {} receives", queueUrl, deadLetterQueueUrl,
                hub.sqs().maxReceiveCount());
    }

    public String queueUrl() {
        return queueUrl;
    }

    public String deadLetterQueueUrl() {
        return deadLetterQueueUrl;
    }
}
