package com.invoicehub.mappings.tables;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * One cell of a spreadsheet or document table as the partner's program stored it, typed: what a mapping turns into a
 * canonical field. A spreadsheet's number is kept as its exact decimal, a date cell as its date (whatever it displays),
 * a formula as its cached result (never evaluated); a cell the hub cannot read says why, so its row is rejected alone.
 */
public sealed interface CellValue {

    record Text(String value) implements CellValue {
    }

    record Number(BigDecimal value) implements CellValue {
    }

    /** A number cell formatted as a date (or a date-time): the day it denotes, and its time when it has one. */
    record DateCell(LocalDateTime value) implements CellValue {

        /** ISO 8601: {@code 2026-10-14}, or {@code 2026-10-14T13:30} when the cell holds a time of day too. */
        public String iso() {
            return value.toLocalTime().equals(LocalTime.MIDNIGHT) ? value.toLocalDate().toString() : value.toString();
        }
    }

    record Bool(boolean value) implements CellValue {
    }

    /** An error value the partner's program stored ({@code #DIV/0!}, {@code #N/A}, …). */
    record ErrorCell(String code) implements CellValue {
    }

    /** A formula saved without its result (the workbook was never calculated): the hub evaluates no formula. */
    record UncalculatedFormula() implements CellValue {
    }

    /** A cell whose stored content makes no sense for its type (a malformed number, a missing shared string). */
    record Unreadable(String why) implements CellValue {
    }
}
