package com.invoicehub.shared;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * An amount in JSON as CONTRACT §10 writes it: the decimal string scaled to its currency ({@code "1250.00"}); the
 * currency is a field of its own beside it.
 */
public final class DecimalAmount extends StdSerializer<Money> {

    public DecimalAmount() {
        super(Money.class);
    }

    @Override
    public void serialize(Money money, JsonGenerator json, SerializerProvider provider) throws IOException {
        json.writeString(money.toPlainString());
    }
}
