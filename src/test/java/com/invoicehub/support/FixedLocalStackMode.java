package com.invoicehub.support;

import java.util.Map;
import java.util.Optional;

import com.invoicehub.platform.LocalStackMode;

/** A {@link LocalStackMode} for Spring-free tests: active or not, with no secrets of its own to give. */
public record FixedLocalStackMode(boolean active) implements LocalStackMode {

    @Override
    public String password(String name) {
        throw new IllegalStateException("no local secret " + name + " in this test");
    }

    @Override
    public String key(String name) {
        throw new IllegalStateException("no local key " + name + " in this test");
    }

    @Override
    public void report(String section, Map<String, ?> values) {
    }

    @Override
    public Optional<String> sftpHostKeyFingerprint() {
        return Optional.empty();
    }
}
