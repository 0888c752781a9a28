package com.invoicehub.platform.localstack;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a taken local-stack port into Spring Boot's short "APPLICATION FAILED TO START" report. */
class LocalPortInUseFailureAnalyzer extends AbstractFailureAnalyzer<LocalPortInUseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, LocalPortInUseException cause) {
        return new FailureAnalysis(
                "Port " + cause.port() + " for the local " + cause.piece() + " is already in use.",
                "Stop the process using port " + cause.port() + ", or set " + cause.setting()
                        + " to another port.",
                cause);
    }
}
