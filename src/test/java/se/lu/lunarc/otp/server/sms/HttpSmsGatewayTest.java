package se.lu.lunarc.otp.server.sms;

import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import se.lu.lunarc.otp.server.ServerConfig.HttpSms;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP SMS gateway against a local receiver that records what it gets. */
class HttpSmsGatewayTest {
    record Received(String contentType, String authorization, String body) {}

    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger failFirst = new AtomicInteger();
    Javalin receiver;

    String startReceiver(int status) {
        receiver = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.routes.post("/sms", ctx -> {
                received.add(new Received(ctx.contentType(), ctx.header("Authorization"), ctx.body()));
                ctx.status(failFirst.getAndDecrement() > 0 ? 503 : status);
            });
        }).start("127.0.0.1", 0);
        return "http://127.0.0.1:" + receiver.port() + "/sms";
    }

    @AfterEach
    void stop() {
        receiver.stop();
    }

    @Test
    void jsonWithBearerAuthAndExtraFields() throws IOException {
        String url = startReceiver(200);
        new HttpSmsGateway(new HttpSms(url, "json", "recipient", "message", "bearer", null, null, "tok-123",
                Map.of("sender", "LUNARC"), 5, 0)).send("+46701740601", "Your code is 123456");
        assertThat(received).hasSize(1);
        assertThat(received.get(0).contentType()).startsWith("application/json");
        assertThat(received.get(0).authorization()).isEqualTo("Bearer tok-123");
        assertThat(received.get(0).body()).contains("\"recipient\":\"+46701740601\"",
                "\"message\":\"Your code is 123456\"", "\"sender\":\"LUNARC\"");
    }

    @Test
    void formWithBasicAuthRetriesAfterServerErrors() throws IOException {
        failFirst.set(2);
        String url = startReceiver(200);
        new HttpSmsGateway(new HttpSms(url, "form", null, null, "basic", "user", "pass", null, null, 5, 2))
                .send("+46701740601", "code 654321");
        assertThat(received).hasSize(3);
        assertThat(received.get(2).contentType()).startsWith("application/x-www-form-urlencoded");
        assertThat(received.get(2).authorization()).isEqualTo("Basic dXNlcjpwYXNz");
        assertThat(received.get(2).body()).isEqualTo("to=%2B46701740601&text=code%20654321");
    }

    @Test
    void aRefusalIsFinalAndItsMessageHoldsNoText() {
        String url = startReceiver(400);
        assertThatThrownBy(() -> new HttpSmsGateway(new HttpSms(url, null, null, null, null, null, null, null, null, 5, 3))
                .send("+46701740601", "code 777777"))
                .isInstanceOf(IOException.class).hasMessageContaining("400").hasMessageNotContaining("777777");
        assertThat(received).hasSize(1);
    }
}
