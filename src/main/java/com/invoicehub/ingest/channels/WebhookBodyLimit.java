package com.invoicehub.ingest.channels;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Caps a partner webhook's body while it is read, before Camel sees it: platform-http reads a request body whole
 * (into a stream cache) before the route runs, so a limit checked in the route comes after the memory is spent. A
 * declared {@code Content-Length} over the limit answers 413 without reading a byte; a body without one (chunked) is
 * read up to the limit and answers 413 as soon as it goes over, so never more than the limit is held. The 413 is JSON
 * like the webhook's other errors; Tomcat then closes the connection rather than read the rest.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class WebhookBodyLimit extends OncePerRequestFilter {

    private static final org.springframework.web.util.UrlPathHelper DECODED_PATHS =
            new org.springframework.web.util.UrlPathHelper();
    private static final Pattern LINE_ITEMS = Pattern.compile(".*/api/v1/partners/[^/]+/line-items/?");

    private final long maxBodyBytes;
    private final ObjectMapper json;

    WebhookBodyLimit(@Value("${hub.webhook.max-body-bytes:5242880}") long maxBodyBytes, ObjectMapper json) {
        this.maxBodyBytes = maxBodyBytes;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // The raw and the decoded path both: an encoded path (line%2Ditems) is routed as the decoded one.
        return !"POST".equals(request.getMethod()) || !LINE_ITEMS.matcher(request.getRequestURI()).matches()
                && !LINE_ITEMS.matcher(DECODED_PATHS.getPathWithinApplication(request)).matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            tooLarge(response, "the body is " + declared + " bytes, larger than " + maxBodyBytes + " bytes");
            return;
        }
        byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
        if (body.length > maxBodyBytes) {
            tooLarge(response, "the body is larger than " + maxBodyBytes + " bytes");
            return;
        }
        chain.doFilter(new ReadBody(request, body), response);
    }

    private void tooLarge(HttpServletResponse response, String message) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error", "payload_too_large");
        error.put("message", message + " (hub.webhook.max-body-bytes)");
        response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
        response.setContentType("application/json");
        response.setHeader("Connection", "close");
        response.getOutputStream().write(json.writeValueAsBytes(error));
        response.flushBuffer(); // the caller hears it now, while it may still be sending
    }

    /** The request with its body already read (at most the limit). */
    private static final class ReadBody extends HttpServletRequestWrapper {
        private final byte[] body;

        ReadBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already read");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
