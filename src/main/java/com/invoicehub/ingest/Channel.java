package com.invoicehub.ingest;

public enum Channel { SFTP, S3, WEBHOOK, SQS }
