package com.invoicehub.platform;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.dao.QueryTimeoutException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Tells an outage (the database, S3 or the network not answering) from a failure of the work itself. An outage is
 * nobody's fault and passes: the work is tried again unchanged and never counted against the item, whereas any other
 * failure is the item's own and is isolated, recorded and, past a limit, given up.
 */
public final class Outages {

    private Outages() {
    }

    public static boolean isOutage(Throwable failure) {
        if (DatabaseAvailability.isUnavailable(failure)) {
            return true; // the database's own verdict, the same one that answers 503
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException || cause instanceof RecoverableDataAccessException
                    || cause instanceof TransientDataAccessResourceException
                    || cause instanceof QueryTimeoutException
                    || cause instanceof SQLRecoverableException || cause instanceof SQLTransientException
                    || cause instanceof ConnectException || cause instanceof SocketTimeoutException
                    || cause instanceof UnknownHostException || cause instanceof SdkClientException) {
                return true;
            }
            if (cause instanceof AwsServiceException service && (service.statusCode() >= 500
                    || service.statusCode() == 429)) {
                return true; // S3 or SQS unavailable or throttling
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true; // connection exception; the server shutting down or restarting
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
