package se.lu.lunarc.otp.server.sms;

import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.lu.lunarc.otp.server.ServerConfig.HttpSms;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * POSTs each message to an SMS provider's HTTP API, as JSON or as a form, with basic or bearer auth.
 * Retries on network errors and 5xx answers with a short back-off; a 4xx is the provider refusing and is final.
 */
public final class HttpSmsGateway implements SmsGateway {
    private static final Logger log = LoggerFactory.getLogger(HttpSmsGateway.class);
    private static final MediaType JSON = MediaType.get("application/json");

    private final HttpSms config;
    private final OkHttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    public HttpSmsGateway(HttpSms config) {
        if (config == null || config.url() == null) {
            throw new IllegalArgumentException("sms.http.url is required for the http SMS gateway");
        }
        this.config = config;
        Duration timeout = Duration.ofSeconds(config.timeoutSeconds());
        this.http = new OkHttpClient.Builder().callTimeout(timeout).connectTimeout(timeout).readTimeout(timeout)
                .retryOnConnectionFailure(false).build();
    }

    @Override
    public void send(String to, String text) throws IOException {
        Request request = new Request.Builder().url(config.url()).post(body(to, text)).headers(authHeaders()).build();
        IOException last = null;
        for (int attempt = 0; attempt <= config.retries(); attempt++) {
            if (attempt > 0) {
                sleep(250L << Math.min(attempt - 1, 4));
            }
            try (Response response = http.newCall(request).execute()) {
                if (response.isSuccessful()) {
                    return;
                }
                int status = response.code();
                // the status is safe to log; the body might echo the message
                log.warn("SMS provider answered HTTP {} (attempt {} of {})", status, attempt + 1, config.retries() + 1);
                last = new IOException("SMS provider answered HTTP " + status);
                if (status < 500) {
                    break;
                }
            } catch (IOException e) {
                log.warn("SMS provider unreachable (attempt {} of {}): {}", attempt + 1, config.retries() + 1,
                        e.getClass().getSimpleName());
                last = new IOException("SMS provider unreachable: " + e.getClass().getSimpleName());
            }
        }
        throw last;
    }

    private RequestBody body(String to, String text) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>(config.extraFields());
        fields.put(config.toField(), to);
        fields.put(config.textField(), text);
        if ("form".equals(config.format())) {
            FormBody.Builder form = new FormBody.Builder();
            fields.forEach(form::add);
            return form.build();
        }
        return RequestBody.create(json.writeValueAsBytes(fields), JSON);
    }

    private okhttp3.Headers authHeaders() {
        okhttp3.Headers.Builder h = new okhttp3.Headers.Builder();
        switch (config.authType()) {
            case "basic" -> h.add("Authorization", Credentials.basic(config.username(), config.password()));
            case "bearer" -> h.add("Authorization", "Bearer " + config.bearerToken());
            default -> { }
        }
        return h.build();
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending SMS");
        }
    }
}
