package com.invoicehub.ingest.mapping;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code canonical-json}: a JSON line item or an array of them (CONTRACT §4), as webhooks and SQS messages carry.
 * Not Bindy (Bindy has no JSON); Jackson reads it. Each element is kept as the exact text the partner sent, and its
 * position in the array is its row number. A body is read whole, so it is bounded: by the webhook limit or SQS's
 * 256 KB on the way in, and here by {@link ReadLimits#maxDocumentBytes()} (a bigger document, say a file by SFTP, is
 * refused whole). An element longer than {@link ReadLimits#maxLineBytes()} is a PARSE_ERROR row of its own, like an
 * overlong line, with only its first bytes kept.
 */
@Component
public class CanonicalJsonMapping implements PartnerMapping {

    public static final String NAME = "canonical-json";

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public String name() {
        return NAME;
    }

    /** Checks the body is well-formed JSON holding an object or an array, or says where it is not. */
    public static void requireWellFormed(String body) {
        try (JsonParser parser = new ObjectMapper().createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
                throw new FileRefusedException("the body must be a JSON line item or an array of them");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new FileRefusedException("unexpected content after the JSON value at " + where(
                        parser.currentTokenLocation()));
            }
        } catch (JsonParseException e) {
            throw new FileRefusedException("malformed JSON at " + where(e.getLocation()) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new FileRefusedException("unreadable JSON: " + e.getMessage());
        }
    }

    @Override
    public RowReader open(InputStream file, ReadLimits limits) throws IOException {
        String body = JsonDocuments.read(file, limits);
        List<SourceRow> rows = new ArrayList<>();
        try (JsonParser parser = json.createParser(body)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                rows.add(element(1, body, parser, limits));
            } else {
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    rows.add(element(++index, body, parser, limits));
                }
            }
        }
        return JsonDocuments.rows(rows);
    }

    private SourceRow element(int row, String body, JsonParser parser, ReadLimits limits) throws IOException {
        int start = (int) parser.currentTokenLocation().getCharOffset();
        if (parser.currentToken().isScalarValue()) {
            parser.finishToken(); // so the location is past the whole value
        } else {
            parser.skipChildren();
        }
        int end = (int) parser.currentLocation().getCharOffset();
        String raw = body.substring(start, Math.min(end, body.length())).strip();
        return JsonDocuments.item(row, raw, limits, text -> reread(row, text));
    }

    @Override
    public SourceRow reread(int rowNumber, String raw) {
        JsonNode node;
        try {
            node = json.readTree(raw);
        } catch (IOException e) {
            return SourceRow.unparseable(rowNumber, raw, "item " + rowNumber + " is not JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            return SourceRow.unparseable(rowNumber, raw, "item " + rowNumber + " is not a JSON object");
        }
        String externalId = text(node, "externalId");
        JsonNode amount = node.get("amount");
        if (amount != null && amount.isNumber()) {
            return SourceRow.rejected(rowNumber, raw, externalId, new Rejection(ReasonCode.INVALID_AMOUNT,
                    "amount must be a decimal string such as \"1250.00\", not the JSON number " + amount,
                    "amount"));
        }
        return SourceRow.parsed(rowNumber, raw, new RawLineItem(externalId, text(node, "customerId"),
                text(node, "customerUserId"), text(node, "userName"), text(node, "expenseType"), text(node, "amount"),
                text(node, "currency"), text(node, "serviceDate"), text(node, "description")));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.isValueNode() ? value.asText() : value.toString();
    }

    private static String where(JsonLocation location) {
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
