package com.invoicehub.ingest;

public enum FileStatus { RECEIVED, PROCESSING, DONE, FAILED }
