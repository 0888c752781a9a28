package com.invoicehub.fault;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Billing while the partners send and the faults happen, on both nodes at once, as ops would drive it through the
 * API (CONTRACT §6). Every round moves each customer's invoice day forward (so a new period closes: a period runs
 * from one invoice day to the next, and the suite's items all lie in last month), then triggers every customer's run
 * on both nodes at once. Each invoice a run makes is decided on both nodes at once: most approved on both, some denied
 * on both, some approved on one node while denied on the other. A denied invoice gets one item excluded (it goes back
 * to the ledger for a later run) and is re-issued on both nodes at once; the revision is approved on both.
 *
 * <p>Answers the contract allows are tolerated: 409 for the loser of a race, 503 with Retry-After while PostgreSQL
 * is down, a refused or cut connection while a node is killed (the step is tried again next round). Anything else
 * (a 5xx other than 503, a 4xx other than 409) is recorded as unexpected; two nodes both succeeding at one decision
 * or one re-issue is a breach.
 */
final class Billing {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An HTTP answer; status -1 when the connection was refused or cut. */
    private record Answer(String node, int status, String body, String retryAfter) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private enum Step { DECIDE, CORRECT, REISSUE, DONE }

    private final List<HubNode> nodes;
    private final HubHttp http;
    private final String opsPassword;
    private final JdbcClient jdbc;
    private final List<String> customers;
    private final SuiteLog log;
    /** Steps (one per customer or invoice), and the HTTP calls they make: two pools, so a step never waits on its own. */
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final ExecutorService calls = Executors.newCachedThreadPool();
    private final AtomicInteger invoicesSeen = new AtomicInteger();
    private final List<Integer> days = new ArrayList<>();
    private final Map<Long, Step> steps = new ConcurrentSkipListMap<>();
    /** How each invoice is decided: "approve", "deny" or "race" (approve on one node, deny on the other). */
    private final Map<Long, String> policy = new ConcurrentHashMap<>();
    private final Set<String> periodsAnswered = ConcurrentHashMap.newKeySet();
    /** Customers whose invoice day the rounds have moved off day 1 (see {@link #round}). */
    private final Set<String> moved = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private volatile boolean finalPhase;
    private Thread thread;
    private int nextDay;

    final Map<String, AtomicInteger> statuses = new ConcurrentSkipListMap<>();
    final List<String> unexpected = new CopyOnWriteArrayList<>();
    final List<String> breaches = new CopyOnWriteArrayList<>();
    final AtomicInteger rounds = new AtomicInteger();
    final AtomicInteger triggers = new AtomicInteger();
    final AtomicInteger invoicesCreated = new AtomicInteger();
    final AtomicInteger approvals = new AtomicInteger();
    final AtomicInteger denials = new AtomicInteger();
    final AtomicInteger corrections = new AtomicInteger();
    final AtomicInteger reissues = new AtomicInteger();
    final AtomicInteger racesDecided = new AtomicInteger();
    final AtomicInteger roundsDuringOutage = new AtomicInteger();
    final Set<Long> excludedItems = ConcurrentHashMap.newKeySet();

    Billing(List<HubNode> nodes, HubHttp http, String opsPassword, JdbcClient jdbc, List<String> customers,
            SuiteLog log) {
        this.nodes = nodes;
        this.http = http;
        this.opsPassword = opsPassword;
        this.jdbc = jdbc;
        this.customers = customers;
        this.log = log;
        // Invoice days after today's day of month close periods ending in last month, one later than the other;
        // day 1 (this month's first: every item sent is before it) is kept for the final run.
        int today = LocalDate.now(ZoneOffset.UTC).getDayOfMonth();
        for (int day = Math.max(3, today + 1); day <= 28; day += 2) {
            days.add(day);
        }
    }

    /** Rounds every {@code every} until {@link #stop}: each a new period closed, runs and decisions on both nodes. */
    void start(Duration every, java.util.function.BooleanSupplier databaseDown) {
        running = true;
        thread = new Thread(() -> {
            while (running) {
                Instant next = Instant.now().plus(every);
                try {
                    if (databaseDown.getAsBoolean()) {
                        roundsDuringOutage.incrementAndGet();
                    }
                    round();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    unexpected.add("billing round failed in the suite: " + e);
                }
                while (running && Instant.now().isBefore(next)) {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }, "fault-billing");
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(Duration.ofSeconds(180).toMillis());
        }
    }

    private void round() throws InterruptedException {
        rounds.incrementAndGet();
        if (nextDay < days.size()) {
            int day = days.get(nextDay);
            boolean all = moveInvoiceDay(day, rounds.get());
            if (all) {
                nextDay++;
            }
        }
        // Only customers whose invoice day has moved: day 1 (the customer's own) closes the final period, which only
        // the final run may close, or items still arriving would miss it. From the 28th on no day closes an earlier one.
        triggerAll(moved);
        settle();
    }

    /**
     * The end: every open step finished (decisions, re-issues), then every customer's invoice day set to 1 and the
     * period up to this month's first closed on both nodes, each final invoice approved on both. Bounded by
     * {@code until}; answers whether everything was done.
     */
    boolean finish(Instant until) throws InterruptedException {
        while (!open().isEmpty() && Instant.now().isBefore(until)) {
            settle();
            Thread.sleep(500);
        }
        finalPhase = true;
        while (!moveInvoiceDay(1, 0) && Instant.now().isBefore(until)) {
            Thread.sleep(1000);
        }
        Set<String> closed = ConcurrentHashMap.newKeySet();
        while (closed.size() < customers.size() && Instant.now().isBefore(until)) {
            closed.addAll(triggerAll(Set.copyOf(customers)));
            if (closed.size() < customers.size()) {
                Thread.sleep(1000);
            }
        }
        while (!open().isEmpty() && Instant.now().isBefore(until)) {
            settle();
            Thread.sleep(500);
        }
        return closed.size() == customers.size() && open().isEmpty();
    }

    List<Long> open() {
        return steps.entrySet().stream().filter(e -> e.getValue() != Step.DONE).map(Map.Entry::getKey).toList();
    }

    /** Sets every customer's invoice day (on one node, else the other); answers whether all were set. */
    private boolean moveInvoiceDay(int day, int round) {
        boolean all = true;
        for (String customer : customers) {
            int first = Math.floorMod(round + customer.hashCode(), nodes.size());
            boolean set = false;
            for (int i = 0; i < nodes.size() && !set; i++) {
                set = call("schedule", nodes.get((first + i) % nodes.size()), "PUT", "/api/v1/schedules/" + customer,
                        "{\"dayOfMonth\":" + day + "}").ok();
            }
            if (set && day != 1) {
                moved.add(customer);
            }
            all &= set;
        }
        return all;
    }

    /** Every customer's run on both nodes at once; answers the customers whose run answered on some node. */
    private Set<String> triggerAll(Set<String> which) {
        Set<String> answered = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (String customer : which) {
            runs.add(CompletableFuture.runAsync(() -> {
                List<Answer> answers = onBothNodes("trigger", node -> new String[] {"POST",
                        "/api/v1/schedules/" + customer + "/trigger", null});
                List<JsonNode> results = new ArrayList<>();
                for (Answer answer : answers) {
                    triggers.incrementAndGet();
                    if (answer.ok()) {
                        results.add(read(answer.body()));
                    }
                }
                long created = results.stream().filter(r -> r.path("created").asBoolean()).count();
                invoicesCreated.addAndGet((int) created);
                if (created > 1) {
                    breaches.add("runs: two nodes both created an invoice for " + customer + ": " + answers);
                }
                Set<String> ids = new java.util.TreeSet<>();
                for (JsonNode result : results) {
                    String period = result.path("period").path("end").asText();
                    if (!result.path("invoiceId").isNull() && !result.path("invoiceId").isMissingNode()) {
                        long id = result.path("invoiceId").asLong();
                        ids.add(period + "#" + id);
                        if (!steps.containsKey(id)) {
                            policy.putIfAbsent(id, finalPhase ? "approve" : switch (invoicesSeen.incrementAndGet() % 4) {
                                case 0 -> "deny";
                                case 1 -> "race";
                                default -> "approve";
                            });
                            steps.putIfAbsent(id, Step.DECIDE);
                        }
                    }
                }
                if (ids.size() > 1) {
                    breaches.add("runs: the two nodes answered different invoices for " + customer + ": " + ids);
                }
                if (!results.isEmpty()) {
                    answered.add(customer);
                    periodsAnswered.add(customer + "@" + results.get(0).path("period").path("end").asText());
                }
            }, pool));
        }
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).join();
        return answered;
    }

    /** One step for every invoice with one still to do, all invoices in parallel. */
    private void settle() {
        List<CompletableFuture<Void>> work = new ArrayList<>();
        for (Long id : open()) {
            work.add(CompletableFuture.runAsync(() -> step(id), pool));
        }
        CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).join();
    }

    private void step(long id) {
        Step step = steps.get(id);
        switch (step) {
            case DECIDE -> decide(id);
            case CORRECT -> correct(id);
            case REISSUE -> reissue(id);
            default -> {
            }
        }
    }

    private void decide(long id) {
        String how = policy.get(id);
        List<Answer> answers = onBothNodes("decide", node -> {
            boolean deny = how.equals("deny") || how.equals("race") && node == nodes.get(1);
            return deny ? new String[] {"POST", "/api/v1/invoices/" + id + "/deny",
                    "{\"reason\":\"fault suite: denied on " + node.name + "\"}"}
                    : new String[] {"POST", "/api/v1/invoices/" + id + "/approve", null};
        });
        List<Answer> won = answers.stream().filter(Answer::ok).toList();
        if (won.size() > 1) {
            breaches.add("decisions: invoice " + id + " decided on both nodes at once: " + answers);
        }
        String status = null;
        if (won.size() == 1) {
            status = read(won.get(0).body()).path("status").asText();
            if (how.equals("race")) {
                racesDecided.incrementAndGet();
            }
        } else if (answers.stream().anyMatch(a -> a.status() == 409)) {
            // Decided by an earlier try whose answer was lost (a node killed after its commit): read what it is.
            status = statusOf(id);
        }
        if (status == null) {
            return; // refused, cut or 503: tried again next round
        }
        switch (status) {
            case "APPROVED", "DELIVERED" -> {
                if (won.size() == 1) {
                    approvals.incrementAndGet();
                }
                steps.put(id, Step.DONE);
            }
            case "DENIED" -> {
                if (won.size() == 1) {
                    denials.incrementAndGet();
                }
                steps.put(id, Step.CORRECT);
            }
            default -> {
            }
        }
    }

    /** Excludes one item of the denied invoice (if it has more than one), by one node. */
    private void correct(long id) {
        List<Long> items;
        try {
            items = jdbc.sql("select line_item_id from invoice_line_items where invoice_id = :id and not excluded "
                    + "order by line_item_id limit 2").param("id", id).query(Long.class).list();
        } catch (RuntimeException e) {
            return; // PostgreSQL down: next round
        }
        if (items.size() < 2) {
            steps.put(id, Step.REISSUE);
            return;
        }
        HubNode node = nodes.get((int) (id % nodes.size()));
        Answer answer = call("correct", node, "POST", "/api/v1/invoices/" + id + "/corrections",
                "{\"lineItemId\":" + items.get(0) + ",\"action\":\"EXCLUDE\",\"reason\":\"fault suite: excluded\"}");
        if (answer.ok()) {
            corrections.incrementAndGet();
            excludedItems.add(items.get(0));
            steps.put(id, Step.REISSUE);
        } else if (answer.status() == 409) {
            steps.put(id, Step.REISSUE);
        }
    }

    private void reissue(long id) {
        List<Answer> answers = onBothNodes("reissue", node -> new String[] {"POST",
                "/api/v1/invoices/" + id + "/reissue", null});
        List<Answer> won = answers.stream().filter(Answer::ok).toList();
        if (won.size() > 1) {
            breaches.add("re-issues: invoice " + id + " re-issued on both nodes at once: " + answers);
        }
        Long revision = null;
        if (won.size() == 1) {
            revision = read(won.get(0).body()).path("id").asLong();
            reissues.incrementAndGet();
        } else if (answers.stream().anyMatch(a -> a.status() == 409)) {
            try {
                revision = jdbc.sql("select id from invoices where previous_invoice_id = :id").param("id", id)
                        .query(Long.class).optional().orElse(null);
            } catch (RuntimeException e) {
                return;
            }
        }
        if (revision != null) {
            steps.put(id, Step.DONE);
            policy.putIfAbsent(revision, "approve");
            steps.putIfAbsent(revision, Step.DECIDE);
        }
    }

    private String statusOf(long id) {
        for (HubNode node : nodes) {
            Answer answer = call("get", node, "GET", "/api/v1/invoices/" + id, null);
            if (answer.ok()) {
                return read(answer.body()).path("status").asText();
            }
        }
        return null;
    }

    /** The same call (per node: method, path, body) on both nodes at once. */
    private List<Answer> onBothNodes(String op, java.util.function.Function<HubNode, String[]> request) {
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        for (HubNode node : nodes) {
            String[] r = request.apply(node);
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return call(op, node, r[0], r[1], r[2]);
            }, calls));
        }
        go.countDown();
        return answers.stream().map(CompletableFuture::join).toList();
    }

    private Answer call(String op, HubNode node, String method, String path, String json) {
        Answer answer;
        try {
            HubHttp.Response response = http.asOps(node.port, method, path, json, opsPassword);
            answer = new Answer(node.name, response.status(), response.body(), response.retryAfter());
        } catch (IOException e) {
            answer = new Answer(node.name, -1, e.toString(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer = new Answer(node.name, -1, "interrupted", null);
        }
        int status = answer.status();
        statuses.computeIfAbsent(op + " " + (status < 0 ? "refused" : Integer.toString(status)),
                k -> new AtomicInteger()).incrementAndGet();
        boolean allowed = answer.ok() || status == -1 || status == 409
                || status == 503 && answer.retryAfter() != null;
        if (!allowed) {
            String body = answer.body() == null ? "" : answer.body();
            unexpected.add(op + " " + method + " " + path + " on " + node.nodeId() + ": " + status + " "
                    + body.substring(0, Math.min(200, body.length())));
            log.line("billing: unexpected " + status + " from " + node.nodeId() + " for " + method + " " + path
                    + ": " + body.substring(0, Math.min(200, body.length())));
        }
        return answer;
    }

    int periodsClosed() {
        return periodsAnswered.size();
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    void shutdown() {
        running = false;
        pool.shutdownNow();
        calls.shutdownNow();
    }
}
