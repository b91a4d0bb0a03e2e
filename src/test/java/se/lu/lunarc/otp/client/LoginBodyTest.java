package se.lu.lunarc.otp.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import se.lu.lunarc.otp.api.HumanProof;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20 §6: docs/development.md says the sign-in's request bytes are wiped after sending. The bytes sent are; the buffer
 * they were written into must be too, and the password must never pass through a String or a recycled buffer.
 */
class LoginBodyTest {
    @Test
    void theBufferThePasswordWasWrittenIntoIsWipedAndTheBodyIsTheJsonOfWhatWasTyped() throws Exception {
        String typed = "p\"a\\s\u0001s å 😀 \ud800x";
        char[] password = typed.toCharArray();
        WipedBytes buffer = new WipedBytes();
        byte[] body = EnrollmentClient.loginBody("alice", password,
                new HumanProof("SHA-256", "challenge", 42, "salt", "signature"), buffer);

        JsonNode sent = new ObjectMapper().readTree(body);
        assertThat(sent.get("username").asText()).isEqualTo("alice");
        // every character as typed; a lone surrogate, which UTF-8 cannot carry, as U+FFFD
        assertThat(sent.get("password").asText()).isEqualTo(typed.replace("\ud800", "\ufffd"));
        assertThat(sent.get("humanProof").get("number").asInt()).isEqualTo(42);

        assertThat(buffer.isWiped()).as("the buffer the body was written into").isTrue();
        assertThat(password).as("the caller's array is the caller's to wipe").containsExactly(typed.toCharArray());
    }
}
