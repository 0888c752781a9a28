package com.invoicehub.console;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * A bar chart drawn as SVG by the page itself (no script, no CDN): each bar's length is its share of the largest
 * value, in percent of the chart's width or height.
 */
public record BarChart(List<Bar> bars) {

    /** One bar: its label, the value shown, and its length in percent (0 to 100). */
    public record Bar(String label, String shown, BigDecimal percent) {
    }

    /** A value to draw: its label, the text shown beside it, and the number it is measured by (null: no data). */
    public record Value(String label, String shown, BigDecimal measure) {
    }

    static BarChart of(List<Value> values) {
        BigDecimal max = values.stream().map(Value::measure).filter(m -> m != null && m.signum() > 0)
                .max(BigDecimal::compareTo).orElse(BigDecimal.ZERO);
        return new BarChart(values.stream().map(value -> new Bar(value.label(), value.shown(),
                max.signum() == 0 || value.measure() == null || value.measure().signum() <= 0 ? BigDecimal.ZERO
                        : value.measure().multiply(BigDecimal.valueOf(100)).divide(max, 1, RoundingMode.HALF_UP)))
                .toList());
    }

    /** A chart of shares (0 to 1) drawn against 100 %, not against the largest: a rate reads the same every day. */
    static BarChart ofShares(List<Value> shares) {
        return new BarChart(shares.stream().map(share -> new Bar(share.label(), share.shown(),
                share.measure() == null ? BigDecimal.ZERO
                        : share.measure().max(BigDecimal.ZERO).min(BigDecimal.ONE).multiply(BigDecimal.valueOf(100))
                                .setScale(1, RoundingMode.HALF_UP)))
                .toList());
    }
}
