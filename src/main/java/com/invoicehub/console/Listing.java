package com.invoicehub.console;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * One page of a list shown newest first: its rows, and the id the next page starts before (null on the last page).
 * The query is asked for one row more than the page holds, so the page knows whether there is a next one.
 */
record Listing<T>(List<T> rows, Long next) {

    static final int SIZE = 50;

    /** {@code fetched}: at most {@link #SIZE} + 1 rows, newest first. */
    static <T> Listing<T> of(List<T> fetched, ToLongFunction<T> id) {
        boolean more = fetched.size() > SIZE;
        List<T> rows = more ? fetched.subList(0, SIZE) : fetched;
        return new Listing<>(rows, more ? id.applyAsLong(rows.get(rows.size() - 1)) : null);
    }
}
