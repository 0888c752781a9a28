package com.invoicehub.platform;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code db} component of {@code /actuator/health}, read from {@link DatabaseAvailability} instead of Spring's
 * default indicator (which borrows a pool connection and so would hang for the pool's connection timeout in an
 * outage): DOWN within a check interval of the database going away, UP again as soon as it answers.
 */
@Component("dbHealthIndicator")
class DatabaseHealth implements HealthIndicator {

    private final DatabaseAvailability database;

    DatabaseHealth(DatabaseAvailability database) {
        this.database = database;
    }

    @Override
    public Health health() {
        DatabaseAvailability.State state = database.state();
        Health.Builder health = state.available() ? Health.up() : Health.down();
        health.withDetail("database", database.product());
        if (!state.available()) {
            health.withDetail("unreachableSince", state.since().toString());
            if (state.reason() != null) {
                health.withDetail("reason", state.reason());
            }
        }
        return health.build();
    }
}
