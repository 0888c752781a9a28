package com.invoicehub.console;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import com.invoicehub.platform.ReadersLocale;
import com.invoicehub.shared.Money;

/** How the console writes amounts, shares and times for people (the pages call it as {@code @consoleText}). */
@Component("consoleText")
public class ConsoleText {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

    public String money(Money money) {
        return money == null ? "" : money.display(locale());
    }

    public String percent(BigDecimal share) {
        if (share == null) {
            return "–";
        }
        NumberFormat format = NumberFormat.getPercentInstance(locale());
        format.setMaximumFractionDigits(1);
        return format.format(share);
    }

    public String time(OffsetDateTime time) {
        return time == null ? "" : TIME.format(time.atZoneSameInstant(ZoneOffset.UTC));
    }

    public String time(Instant time) {
        return time == null ? "" : TIME.format(time.atZone(ZoneOffset.UTC));
    }

    /** A piece of a sentence, linked to the console page of what it names (href null: plain text). */
    public record Segment(String text, String href) {
    }

    private static final Pattern NAMED = Pattern.compile("\\b(record|invoice) (\\d+)|\\bfiles (\\d+(?:, \\d+)*)");
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    /** A report's sentence with each record, invoice and file it names linked to its page. */
    public List<Segment> linked(String sentence) {
        List<Segment> segments = new ArrayList<>();
        Matcher named = NAMED.matcher(sentence);
        int at = 0;
        while (named.find()) {
            if (named.start() > at) {
                segments.add(new Segment(sentence.substring(at, named.start()), null));
            }
            if (named.group(1) != null) {
                segments.add(new Segment(named.group(), "/console/" + named.group(1) + "s/" + named.group(2)));
            } else {
                segments.add(new Segment("files ", null));
                Matcher number = NUMBER.matcher(named.group(3));
                int from = 0;
                while (number.find()) {
                    if (number.start() > from) {
                        segments.add(new Segment(named.group(3).substring(from, number.start()), null));
                    }
                    segments.add(new Segment(number.group(), "/console/files/" + number.group()));
                    from = number.end();
                }
            }
            at = named.end();
        }
        if (at < sentence.length()) {
            segments.add(new Segment(sentence.substring(at), null));
        }
        return segments;
    }

    private static Locale locale() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request
                ? ReadersLocale.of(request.getRequest()) : Money.DISPLAY_FALLBACK;
    }
}
