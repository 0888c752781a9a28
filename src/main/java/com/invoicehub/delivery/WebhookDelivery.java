package com.invoicehub.delivery;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import com.invoicehub.customers.CustomerRegistry;
import com.invoicehub.shared.StandardWebhooks;
import com.invoicehub.platform.HubProperties;
import com.invoicehub.platform.audit.AuditLog;
import com.invoicehub.platform.LocalStackMode;

/**
 * {@code POST} of the invoice JSON ({@code type: invoice.approved}) to the customer's URL, signed per Standard
 * Webhooks with the customer's secret; {@code webhook-id} is the delivery's message id on every try. 2xx: sent.
 * Network errors, 5xx and 429 (its Retry-After honoured): retried. 410: the customer's webhook is disabled and the
 * delivery fails. Other 4xx and redirects (never followed): failed. Addresses are checked when connecting
 * ({@link WebhookAddressGuard}). Every send has a hard overall deadline ({@code hub.delivery.send-deadline}) after
 * which the exchange is aborted, and reads at most {@value #MAX_RESPONSE_BYTES} bytes of the response body: the
 * status decides, so a 2xx is a success even if the receiver never finishes its body.
 */
@Component
class WebhookDelivery implements DeliveryChannel, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);
    /** The most of a response body ever read. */
    static final int MAX_RESPONSE_BYTES = 4096;

    private final JdbcClient jdbc;
    private final InvoiceArtifacts artifacts;
    private final CustomerRegistry customers;
    private final AuditLog audit;
    private final Clock clock;
    private final WebhookAddressGuard addressGuard;
    private final CloseableHttpClient http;
    private final Duration sendDeadline;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "webhook-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    WebhookDelivery(JdbcClient jdbc, InvoiceArtifacts artifacts, CustomerRegistry customers, AuditLog audit,
                    Clock clock, HubProperties hub, LocalStackMode localStack) {
        this.jdbc = jdbc;
        this.artifacts = artifacts;
        this.customers = customers;
        this.audit = audit;
        this.clock = clock;
        List<String> allowed = new ArrayList<>(hub.delivery().webhookAllowedNetworks() == null ? List.of()
                : hub.delivery().webhookAllowedNetworks());
        allowed.removeIf(network -> network == null || network.isBlank());
        if (allowed.isEmpty() && localStack.active()) {
            allowed.addAll(List.of("127.0.0.0/8", "::1/128"));
            log.info("Local stack: customer webhooks may reach loopback (127.0.0.0/8, ::1); set "
                    + "HUB_WEBHOOK_ALLOWED_NETWORKS to choose");
        }
        this.addressGuard = new WebhookAddressGuard(allowed);
        this.sendDeadline = hub.delivery().sendDeadline();
        Timeout timeout = Timeout.of(hub.delivery().webhookTimeout());
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(addressGuard)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout)
                                .setSocketTimeout(timeout).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .setUserAgent("invoice-hub-webhooks/1")
                .build();
    }

    @Override
    public Kind channel() {
        return Kind.WEBHOOK;
    }

    @Override
    public SendResult send(PendingDelivery delivery) {
        Map<String, Object> customer = jdbc.sql("select webhook_url, webhook_enabled from customers where id = :id")
                .param("id", delivery.customerId()).query().singleRow();
        String url = (String) customer.get("webhook_url");
        if (url == null || !Boolean.TRUE.equals(customer.get("webhook_enabled"))) {
            return new SendResult.Failed("the customer's webhook is disabled or removed", null);
        }
        byte[] body = artifacts.get(delivery.invoiceId(), InvoiceArtifacts.Format.JSON).content();
        long timestamp = clock.instant().getEpochSecond();
        HttpPost post;
        try {
            post = new HttpPost(url);
        } catch (IllegalArgumentException e) {
            return new SendResult.Failed("webhook URL " + url + " is not a URL: " + e.getMessage(), null);
        }
        try {
            String unencrypted = plainHttpRefusal(post);
            if (unencrypted != null) {
                return new SendResult.Failed(unencrypted, null);
            }
        } catch (WebhookAddressGuard.RefusedAddressException e) {
            return new SendResult.Failed(e.getMessage(), null);
        } catch (IOException e) {
            return new SendResult.Retry(e.getClass().getSimpleName() + ": " + e.getMessage(), null, null);
        }
        post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        post.setHeader("webhook-id", delivery.messageId());
        post.setHeader("webhook-timestamp", Long.toString(timestamp));
        post.setHeader("webhook-signature", StandardWebhooks.sign(customers.webhookSecret(delivery.customerId()),
                delivery.messageId(), timestamp, body));
        // The hard deadline: whatever the receiver does (a slow connect, a trickled response), the exchange is
        // aborted when it runs out; the per-read timeout alone lets a trickling receiver hold a worker for ever.
        ScheduledFuture<?> abort = deadlines.schedule(post::cancel, sendDeadline.toMillis(), TimeUnit.MILLISECONDS);
        ClassicHttpResponse response = null;
        try {
            response = http.executeOpen(null, post, null);
            return outcome(delivery, url, response);
        } catch (WebhookAddressGuard.RefusedAddressException e) {
            return new SendResult.Failed(e.getMessage(), null);
        } catch (IOException e) {
            String reason = post.isCancelled() ? "no answer within the send deadline of " + sendDeadline + " ("
                    + e.getClass().getSimpleName() + ")" : e.getClass().getSimpleName() + ": " + e.getMessage();
            return new SendResult.Retry(reason, null, null);
        } finally {
            abort.cancel(false);
            // Never read the rest of the body: aborting discards the connection instead of draining it.
            post.cancel();
            closeQuietly(response);
        }
    }

    /** The status decides; only a prefix of the body is ever read (for a refusal's reason). */
    private SendResult outcome(PendingDelivery delivery, String url, ClassicHttpResponse response) {
        int status = response.getCode();
        if (status >= 200 && status < 300) {
            return new SendResult.Sent("HTTP " + status, status);
        }
        if (status == 410) {
            disable(delivery.customerId(), url);
            return new SendResult.Failed("HTTP 410 Gone: the customer's webhook is now disabled", status);
        }
        if (status == 429 || status >= 500) {
            return new SendResult.Retry("HTTP " + status, status, retryAfter(response.getFirstHeader("Retry-After")));
        }
        if (status >= 300 && status < 400) {
            Header location = response.getFirstHeader("Location");
            return new SendResult.Failed("HTTP " + status + " redirect to "
                    + (location == null ? "?" : location.getValue()) + " not followed: webhooks must answer "
                    + "at their own URL", status);
        }
        return new SendResult.Failed("HTTP " + status + ": the receiver refused the invoice"
                + bodyPrefix(response), status);
    }

    /** Up to {@value #MAX_RESPONSE_BYTES} bytes of the body as text, for the reason ops read; empty if none. */
    private static String bodyPrefix(ClassicHttpResponse response) {
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            return "";
        }
        // Not closed here: closing a body stream drains it; the caller aborts the connection instead.
        try {
            byte[] prefix = entity.getContent().readNBytes(MAX_RESPONSE_BYTES);
            String text = new String(prefix, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", " ").strip();
            return text.isEmpty() ? "" : " (" + text + ")";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        if (response == null) {
            return;
        }
        try {
            response.close();
        } catch (IOException | RuntimeException ignored) {
            // the connection was aborted on purpose; nothing to release
        }
    }

    /**
     * An invoice crosses the network in the clear over plain http, so http is only for receivers inside the
     * allow-listed networks (an internal gateway, the local stack); anywhere else the URL must be https. Null when
     * the request may go. The addresses are vetted again when the client connects.
     */
    private String plainHttpRefusal(HttpPost post) throws IOException {
        if (!"http".equalsIgnoreCase(post.getScheme())) {
            return null;
        }
        if (post.getAuthority() == null) {
            return "webhook URL " + post.getRequestUri() + " names no host";
        }
        String host = post.getAuthority().getHostName();
        for (InetAddress address : addressGuard.resolve(host)) {
            if (!addressGuard.allowListed(address)) {
                return "webhook URL " + post.getScheme() + "://" + post.getAuthority() + " is plain http to "
                        + address.getHostAddress() + ": invoices go only over https, except to "
                        + "hub.delivery.webhook-allowed-networks";
            }
        }
        return null;
    }

    private void disable(String customerId, String url) {
        int changed = jdbc.sql("update customers set webhook_enabled = false where id = :id and webhook_enabled")
                .param("id", customerId).update();
        if (changed == 1) {
            audit.record("customer.webhook-disabled", "customer", customerId, Map.of("webhookEnabled", true),
                    Map.of("webhookEnabled", false, "reason", "HTTP 410 Gone from " + url));
        }
    }

    private Duration retryAfter(Header header) {
        if (header == null) {
            return null;
        }
        String value = header.getValue().strip();
        try {
            return Duration.ofSeconds(Math.min(Long.parseLong(value), 86_400));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(clock.instant(),
                        ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException neither) {
                return null;
            }
        }
    }

    @Override
    public void destroy() throws IOException {
        deadlines.shutdownNow();
        http.close();
    }
}
