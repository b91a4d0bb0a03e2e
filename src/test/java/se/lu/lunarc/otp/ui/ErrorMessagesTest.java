package se.lu.lunarc.otp.ui;

import se.lu.lunarc.otp.app.ErrorMessages;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import se.lu.lunarc.otp.client.ApiException;

import java.util.Locale;
import java.util.ResourceBundle;

import static org.assertj.core.api.Assertions.assertThat;

/** A fault of the program reaches support: an incident id on screen that finds the stack trace in the log. */
class ErrorMessagesTest {
    @Test
    void anUnexpectedFailureShowsAnIncidentIdThatIsLoggedWithItsStackTrace() {
        Logger log = (Logger) LoggerFactory.getLogger(ApiException.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        log.addAppender(captured);
        try {
            ApiException e = ApiException.internal(new IllegalStateException("a bug"));
            assertThat(e.incident()).matches("[0-9A-F]{8}");
            for (Locale l : new Locale[] {Locale.ENGLISH, Locale.forLanguageTag("sv")}) {
                ResourceBundle rb = ResourceBundle.getBundle("se.lu.lunarc.otp.ui.messages", l);
                assertThat(ErrorMessages.text(rb, e)).contains(e.incident());
            }
            assertThat(e.diagnostics()).contains(e.incident(), "IllegalStateException");
            ILoggingEvent logged = captured.list.get(captured.list.size() - 1);
            assertThat(logged.getFormattedMessage()).contains(e.incident());
            assertThat(logged.getThrowableProxy().getClassName()).isEqualTo("java.lang.IllegalStateException");
            assertThat(ApiException.internal(new RuntimeException()).incident()).isNotEqualTo(e.incident());
        } finally {
            log.detachAppender(captured);
        }
    }
}
