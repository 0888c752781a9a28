package com.invoicehub.fault;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the partners send, decided up front from a seed: files for SFTP and S3 (standard CSV), JSON arrays for
 * webhooks and SQS. About {@code repeatShare} of each unit repeats items (same key, same content) another channel of
 * the same partner also carries, so they must be DUPLICATE, never doubled. A few rows and messages must never be
 * applied: rows for an unknown customer (REJECTED), SQS messages signed with the wrong secret or not at all.
 */
final class TrafficPlan {

    static final String UNKNOWN_CUSTOMER = "fault-nobody";
    private static final String[] TYPES = {"TUITION", "MATERIALS", "TUTORING", "FEES"};

    enum Signing { SIGNED, WRONG_SECRET, UNSIGNED }

    record Item(String partnerId, String externalId, String customerId, String userId, String userName,
                String expenseType, String amount, String serviceDate, String description) {

        String key() {
            return partnerId + "|" + externalId;
        }

        String csv() {
            return String.join(",", externalId, customerId, userId, userName, expenseType, amount, "USD",
                    serviceDate, description);
        }

        String json() {
            return "{\"externalId\":\"" + externalId + "\",\"customerId\":\"" + customerId
                    + "\",\"customerUserId\":\"" + userId + "\",\"userName\":\"" + userName
                    + "\",\"expenseType\":\"" + expenseType + "\",\"amount\":\"" + amount
                    + "\",\"currency\":\"USD\",\"serviceDate\":\"" + serviceDate + "\",\"description\":\""
                    + description + "\"}";
        }
    }

    /** A file for SFTP or S3. */
    record FileUnit(String partnerId, String channel, String name, List<Item> rows) {
        byte[] csv() {
            return ("external_id,customer_id,customer_user_id,user_name,expense_type,amount,currency,service_date,"
                    + "description\n" + rows.stream().map(Item::csv).collect(Collectors.joining("\n")) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A webhook call or an SQS message: a JSON array, its id the webhook-id. */
    record MessageUnit(String partnerId, String channel, String id, List<Item> items, Signing signing) {
        byte[] json() {
            return ("[" + items.stream().map(Item::json).collect(Collectors.joining(",")) + "]")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    final List<String> partnerIds = new ArrayList<>();
    final List<String> customerIds = new ArrayList<>();
    /** Every key that must be in the ledger exactly once, with the content it must have. */
    final Map<String, Item> expected = new LinkedHashMap<>();
    /** Keys that must never be applied. */
    final Set<String> mustNotApply = new LinkedHashSet<>();
    final List<FileUnit> sftpFiles = new ArrayList<>();
    final List<FileUnit> s3Files = new ArrayList<>();
    /**
     * Bigger files of each file channel, held back for the aimed kills only: a file of thousands of rows is PROCESSING
     * for seconds (one of ~170 rows for under one), so the suite can see the victim working on it before it kills.
     */
    final List<FileUnit> sftpAimFiles = new ArrayList<>();
    final List<FileUnit> s3AimFiles = new ArrayList<>();
    final List<MessageUnit> webhooks = new ArrayList<>();
    final List<MessageUnit> sqsMessages = new ArrayList<>();
    int rowsSent;
    int repeatedRows;

    static TrafficPlan generate(FaultSettings settings, LocalDate monthStart) {
        TrafficPlan plan = new TrafficPlan();
        Random random = new Random(settings.seed());
        for (int c = 1; c <= settings.customers(); c++) {
            plan.customerIds.add("fault-cust-" + c);
        }
        for (int p = 1; p <= settings.partners(); p++) {
            plan.partnerIds.add("fault-partner-" + p);
        }
        for (String partner : plan.partnerIds) {
            plan.partner(partner, settings, monthStart, random);
        }
        Collections.shuffle(plan.sftpFiles, random);
        Collections.shuffle(plan.s3Files, random);
        Collections.shuffle(plan.webhooks, random);
        Collections.shuffle(plan.sqsMessages, random);
        Collections.shuffle(plan.sftpAimFiles, random);
        Collections.shuffle(plan.s3AimFiles, random);
        return plan;
    }

    private void partner(String partner, FaultSettings settings, LocalDate monthStart, Random random) {
        int[] counter = {0};
        String tag = partner.substring(partner.lastIndexOf('-') + 1);
        java.util.function.Function<String, Item> newItem = channel -> {
            String customer = customerIds.get(random.nextInt(customerIds.size()));
            String user = "u" + customer.substring(customer.lastIndexOf('-') + 1) + "-" + random.nextInt(80);
            int cents = 100 + random.nextInt(250_000);
            Item item = new Item(partner, "FS-" + tag + "-" + channel + "-" + (++counter[0]), customer, user,
                    "Learner " + user, TYPES[random.nextInt(TYPES.length)],
                    (cents / 100) + "." + String.format("%02d", cents % 100),
                    monthStart.plusDays(random.nextInt(28)).toString(), "Course " + random.nextInt(500));
            expected.put(item.key(), item);
            return item;
        };
        Map<String, List<Item>> byChannel = new LinkedHashMap<>();
        List<FileUnit> sftp = new ArrayList<>();
        List<FileUnit> s3 = new ArrayList<>();
        List<MessageUnit> hooks = new ArrayList<>();
        List<MessageUnit> sqs = new ArrayList<>();
        for (int f = 1; f <= settings.sftpFilesPerPartner(); f++) {
            sftp.add(new FileUnit(partner, "SFTP", partner + "-sftp-" + f + ".csv", items(newItem, "S", settings.rowsPerFile(), byChannel)));
        }
        for (int f = 1; f <= settings.s3FilesPerPartner(); f++) {
            s3.add(new FileUnit(partner, "S3", partner + "-s3-" + f + ".csv", items(newItem, "O", settings.rowsPerFile(), byChannel)));
        }
        List<FileUnit> sftpAim = new ArrayList<>();
        List<FileUnit> s3Aim = new ArrayList<>();
        for (int f = 1; f <= settings.aimFilesPerPartner(); f++) {
            sftpAim.add(new FileUnit(partner, "SFTP", partner + "-sftp-aim-" + f + ".csv",
                    items(newItem, "S", settings.aimFileRows(), byChannel)));
            s3Aim.add(new FileUnit(partner, "S3", partner + "-s3-aim-" + f + ".csv",
                    items(newItem, "O", settings.aimFileRows(), byChannel)));
        }
        sftp.addAll(sftpAim);
        s3.addAll(s3Aim);
        for (int m = 1; m <= settings.webhooksPerPartner(); m++) {
            hooks.add(new MessageUnit(partner, "WEBHOOK", "msg_fault_" + partner + "_wh_" + m,
                    items(newItem, "W", settings.itemsPerMessage(), byChannel), Signing.SIGNED));
        }
        for (int m = 1; m <= settings.sqsPerPartner(); m++) {
            sqs.add(new MessageUnit(partner, "SQS", "msg_fault_" + partner + "_sqs_" + m,
                    items(newItem, "Q", settings.itemsPerMessage(), byChannel), Signing.SIGNED));
        }
        // Repeats across channels: the same item (key and content) again by another channel of the same partner.
        for (List<? extends Object> units : List.of(sftp, s3, hooks, sqs)) {
            for (Object unit : units) {
                List<Item> rows = unit instanceof FileUnit file ? file.rows() : ((MessageUnit) unit).items();
                String own = rows.get(0).externalId().split("-")[2];
                List<Item> others = byChannel.entrySet().stream().filter(e -> !e.getKey().equals(own))
                        .flatMap(e -> e.getValue().stream()).toList();
                int repeats = (int) Math.round(rows.size() * settings.repeatShare());
                Set<Item> picked = new LinkedHashSet<>();
                for (int i = 0; i < repeats * 3 && picked.size() < repeats; i++) {
                    picked.add(others.get(random.nextInt(others.size())));
                }
                rows.addAll(picked);
                repeatedRows += picked.size();
            }
        }
        // Rows that must be refused (unknown customer): one per file.
        int rejected = 0;
        for (FileUnit file : concat(sftp, s3)) {
            Item bad = new Item(partner, "REJ-" + tag + "-" + (++rejected), UNKNOWN_CUSTOMER, "u0-1", "Nobody Known",
                    "FEES", "10.00", monthStart.plusDays(3).toString(), "Refused row");
            mustNotApply.add(bad.key());
            file.rows().add(random.nextInt(file.rows().size()), bad);
        }
        // SQS messages that must never be applied: signed with the wrong secret, and not signed at all.
        for (int i = 1; i <= 3; i++) {
            Item forged = new Item(partner, "FORGED-" + tag + "-" + i, customerIds.get(0), "u1-1", "Learner u1-1",
                    "TUITION", "999.00", monthStart.plusDays(5).toString(), "Forged message");
            mustNotApply.add(forged.key());
            sqs.add(new MessageUnit(partner, "SQS", "msg_fault_" + partner + "_forged_" + i,
                    new ArrayList<>(List.of(forged)), i == 3 ? Signing.UNSIGNED : Signing.WRONG_SECRET));
        }
        for (FileUnit file : concat(sftp, s3)) {
            rowsSent += file.rows().size();
        }
        for (MessageUnit message : concatMessages(hooks, sqs)) {
            rowsSent += message.items().size();
        }
        sftp.removeAll(sftpAim);
        s3.removeAll(s3Aim);
        sftpFiles.addAll(sftp);
        s3Files.addAll(s3);
        sftpAimFiles.addAll(sftpAim);
        s3AimFiles.addAll(s3Aim);
        webhooks.addAll(hooks);
        sqsMessages.addAll(sqs);
    }

    private static List<Item> items(java.util.function.Function<String, Item> newItem, String channel, int count,
                                    Map<String, List<Item>> byChannel) {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(newItem.apply(channel));
        }
        byChannel.computeIfAbsent(channel, c -> new ArrayList<>()).addAll(items);
        return items;
    }

    private static List<FileUnit> concat(List<FileUnit> a, List<FileUnit> b) {
        List<FileUnit> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<MessageUnit> concatMessages(List<MessageUnit> a, List<MessageUnit> b) {
        List<MessageUnit> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Forged messages are sent first, so the queue's redrive has time to move them to the dead-letter queue. */
    List<MessageUnit> sqsInSendingOrder() {
        List<MessageUnit> ordered = new ArrayList<>(sqsMessages.stream().filter(m -> m.signing() != Signing.SIGNED)
                .toList());
        ordered.addAll(sqsMessages.stream().filter(m -> m.signing() == Signing.SIGNED).toList());
        return ordered;
    }

    long deliberatelyInvalidSqsMessages() {
        return sqsMessages.stream().filter(m -> m.signing() != Signing.SIGNED).count();
    }
}
