/**
 * The S3 buckets and SQS queues the hub uses, and its clients for them.
 */
@NamedInterface("aws")
package com.invoicehub.platform.aws;

import org.springframework.modulith.NamedInterface;
