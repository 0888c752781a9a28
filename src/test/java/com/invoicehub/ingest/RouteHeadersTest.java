package com.invoicehub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The header names the routes spell and the ones the beans read ({@link RouteHeaders}) are the same. Spring-free. */
class RouteHeadersTest {

    private static final Pattern SET_OR_READ = Pattern.compile("name: (hub[A-Z]\\w*)|\\$(?:simple)?\\{header\\.(hub[A-Z]\\w*)}");

    @Test
    void everyHeaderTheRoutesUseIsDeclaredOnceAndEveryDeclaredOneIsUsed() throws IOException {
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Stream.concat(Files.list(Path.of("routes/templates")),
                Files.list(Path.of("routes/ingest")))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Matcher matcher = SET_OR_READ.matcher(Files.readString(file));
                while (matcher.find()) {
                    used.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
                }
            }
        }
        Set<String> declared = Arrays.stream(RouteHeaders.class.getFields())
                .filter(field -> Modifier.isStatic(field.getModifiers())).map(RouteHeadersTest::value)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(used).isEqualTo(declared);
    }

    private static String value(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
