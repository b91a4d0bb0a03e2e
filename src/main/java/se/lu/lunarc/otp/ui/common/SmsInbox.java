package se.lu.lunarc.otp.ui.common;

import javafx.application.Platform;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import se.lu.lunarc.otp.spi.ServerPart;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The demo's phone: the messages the demo backend "sent", newest first, read from its outbox file. */
public final class SmsInbox extends VBox {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private final ObservableList<String> messages = FXCollections.observableArrayList();
    private final ListView<String> list = new ListView<>(messages);
    private final Label title = new Label();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lunarc-otp-demo-inbox");
        t.setDaemon(true);
        return t;
    });

    public SmsInbox(Callable<List<ServerPart.DemoSms>> source) {
        getStyleClass().add("sms-inbox");
        title.getStyleClass().add("sms-inbox-title");
        title.setWrapText(true);
        list.setPrefWidth(230);
        // whole messages, wrapped: the code is at the end of the line
        list.setCellFactory(v -> {
            ListCell<String> cell = new ListCell<>() {
                @Override
                protected void updateItem(String item, boolean empty) {
                    super.updateItem(item, empty);
                    setText(empty ? null : item);
                }
            };
            cell.setWrapText(true);
            cell.prefWidthProperty().bind(list.widthProperty().subtract(24));
            return cell;
        });
        list.setFocusTraversable(true);
        VBox.setVgrow(list, Priority.ALWAYS);
        getChildren().addAll(title, list);
        poller.scheduleWithFixedDelay(() -> poll(source), 0, 1, TimeUnit.SECONDS);
    }

    public void init(ResourceBundle rb) {
        title.setText(rb.getString("demo.inbox"));
        list.setAccessibleText(rb.getString("demo.inbox"));
        list.setPlaceholder(new Label(rb.getString("demo.inbox.empty")));
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    private void poll(Callable<List<ServerPart.DemoSms>> source) {
        try {
            List<String> shown = source.call().stream()
                    .map(m -> TIME.format(m.sentAt()) + "  " + m.to() + "\n" + m.text()).toList();
            Platform.runLater(() -> {
                if (!shown.equals(messages)) {
                    messages.setAll(shown);
                }
            });
        } catch (Exception ignored) {
            // a half-written line: the next poll reads it whole
        }
    }

    public void stop() {
        poller.shutdownNow();
    }
}
