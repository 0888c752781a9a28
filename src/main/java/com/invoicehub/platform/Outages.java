package com.invoicehub.platform;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Tells an outage (the database, S3 or the network not answering) from a failure of the work itself, in one place. An
 * outage is nobody's fault and passes: the work is tried again unchanged, never counted against the item, and an HTTP
 * caller is answered 503 with Retry-After; any other failure is the item's own and is isolated, recorded and, past a
 * limit, given up.
 */
public final class Outages {

    private Outages() {
    }

    public static boolean isOutage(Throwable failure) {
        if (isDatabaseOutage(failure)) {
            return true;
        }
        for (Throwable cause = failure; cause != null; cause = next(cause)) {
            if (cause instanceof ConnectException || cause instanceof SocketTimeoutException
                    || cause instanceof UnknownHostException || cause instanceof SdkClientException) {
                return true;
            }
            if (cause instanceof AwsServiceException service && (service.statusCode() >= 500
                    || service.statusCode() == 429)) {
                return true; // S3 or SQS unavailable or throttling
            }
        }
        return false;
    }

    /**
     * Whether the database cannot be used right now. The SQLSTATE, where there is one, is the database's own word and
     * decides: connection exceptions (08), insufficient resources (53), operator intervention such as a shutdown or a
     * statement timeout (57), system errors (58) and transaction rollbacks such as a lost deadlock (40) are outages;
     * anything else (a value out of range, a constraint, a key too big for its index: 22, 23, 54 …) is the statement's
     * fault, whatever Spring's exception class says (it files 54 under resource failures).
     */
    public static boolean isDatabaseOutage(Throwable failure) {
        Optional<String> state = sqlState(failure);
        if (state.isPresent()) {
            String code = state.get();
            return code.startsWith("08") || code.startsWith("53") || code.startsWith("57") || code.startsWith("58")
                    || code.startsWith("40");
        }
        for (Throwable cause = failure; cause != null; cause = next(cause)) {
            if (cause instanceof DataAccessResourceFailureException
                    || cause instanceof TransientDataAccessResourceException
                    || cause instanceof RecoverableDataAccessException
                    || cause instanceof CannotCreateTransactionException
                    || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLRecoverableException) {
                return true;
            }
        }
        return false;
    }

    /** The SQLSTATE of the first SQL exception in the chain that has one. */
    public static Optional<String> sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = next(cause)) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && !sql.getSQLState().isBlank()) {
                return Optional.of(sql.getSQLState());
            }
        }
        return Optional.empty();
    }

    private static Throwable next(Throwable cause) {
        return cause.getCause() == cause ? null : cause.getCause();
    }
}
