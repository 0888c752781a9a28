package com.invoicehub.ingest.replay;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import com.invoicehub.ingest.Outcome;
import com.invoicehub.ingest.pipeline.JudgedRow;
import com.invoicehub.ledger.Ledger;
import com.invoicehub.ledger.LedgerVerdicts;
import com.invoicehub.ledger.Verdict;

/**
 * Predicts outcomes without writing anything (dry runs of replays and of mappings): the rows' own verdicts, and for
 * valid rows the ledger's verdict against the current state of their source keys, by the same function a write uses.
 * Answers each row's outcome by row number.
 */
@Component
public class OutcomePreview {

    private final Ledger ledger;

    OutcomePreview(Ledger ledger) {
        this.ledger = ledger;
    }

    /** What the ledger would decide, without writing. */
    public Map<Integer, RowOutcome> predict(String partnerId, List<JudgedRow> rows) {
        LedgerVerdicts verdicts = new LedgerVerdicts(ledger.entries(partnerId,
                rows.stream().filter(row -> row.item() != null).map(JudgedRow::externalId).toList()));
        Map<Integer, RowOutcome> outcomes = new HashMap<>();
        for (JudgedRow row : rows) {
            if (row.decided() != null) {
                outcomes.put(row.rowNumber(), RowOutcome.ofJudged(row));
                continue;
            }
            Verdict verdict = verdicts.decide(row.externalId(), row.item().contentHash(), row.recordId());
            outcomes.put(row.rowNumber(), new RowOutcome(Outcome.of(verdict), null, verdict.message()));
        }
        return outcomes;
    }
}
