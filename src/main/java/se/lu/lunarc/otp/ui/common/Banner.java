package se.lu.lunarc.otp.ui.common;

import javafx.geometry.Pos;
import javafx.scene.AccessibleRole;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.ResourceBundle;

/**
 * The message line of a screen: what happened and what to do, with Retry for network trouble and copyable
 * details for answers nobody expected. Hidden while empty.
 */
public final class Banner extends VBox {
    private final Label message = new Label();
    private final Button retry = new Button();
    private final Button details = new Button();
    private final Button copy = new Button();
    /** Made when the user first asks for details: a TextArea costs the first frame ~80 classes and a skin. */
    private TextArea detailText;
    private String diagnostics = "";
    private ResourceBundle rb;
    private Runnable retryAction;

    public Banner() {
        getStyleClass().add("banner");
        message.setWrapText(true);
        message.setMaxWidth(Double.MAX_VALUE);
        message.setAccessibleRole(AccessibleRole.TEXT);
        HBox.setHgrow(message, Priority.ALWAYS);
        retry.getStyleClass().add("banner-retry");
        retry.setOnAction(e -> {
            if (retryAction != null) {
                retryAction.run();
            }
        });
        details.setOnAction(e -> {
            boolean show = detailText == null || !detailText.isVisible();
            detailArea().setText(diagnostics);
            detailText.setVisible(show);
            detailText.setManaged(show);
            copy.setVisible(show);
            copy.setManaged(show);
        });
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(diagnostics);
            Clipboard.getSystemClipboard().setContent(c);
        });
        for (Button b : new Button[] {retry, details, copy}) {
            b.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE); // the message wraps; a button never shows "…"
        }
        HBox line = new HBox(8, message, retry, details, copy);
        line.setAlignment(Pos.CENTER_LEFT);
        getChildren().add(line);
        clear();
    }

    /** Button texts in the screen's language; call from the controller's initialize. */
    public void init(ResourceBundle rb) {
        retry.setText(rb.getString("banner.retry"));
        details.setText(rb.getString("banner.details"));
        copy.setText(rb.getString("banner.copy"));
        this.rb = rb;
        if (detailText != null) {
            detailText.setAccessibleText(rb.getString("banner.details"));
        }
    }

    private TextArea detailArea() {
        if (detailText == null) {
            detailText = new TextArea();
            detailText.setEditable(false);
            detailText.setWrapText(true);
            detailText.setPrefRowCount(3);
            if (rb != null) {
                detailText.setAccessibleText(rb.getString("banner.details"));
            }
            getChildren().add(detailText);
        }
        return detailText;
    }

    public void clear() {
        show("", null, null, null);
        setVisible(false);
        setManaged(false);
    }

    public void error(String text, String diagnostics, Runnable retryAction) {
        show("error", text, diagnostics, retryAction);
    }

    public void info(String text) {
        show("info", text, null, null);
    }

    public void success(String text) {
        show("success", text, null, null);
    }

    public String text() {
        return message.getText();
    }

    private void show(String kind, String text, String diagnostics, Runnable retryAction) {
        getStyleClass().removeAll("error", "info", "success");
        if (!kind.isEmpty()) {
            getStyleClass().add(kind);
        }
        message.setText(text);
        setAccessibleText(text);
        this.retryAction = retryAction;
        setVisible(true);
        setManaged(true);
        boolean hasRetry = retryAction != null;
        retry.setVisible(hasRetry);
        retry.setManaged(hasRetry);
        boolean hasDetails = diagnostics != null && !diagnostics.isBlank();
        details.setVisible(hasDetails);
        details.setManaged(hasDetails);
        this.diagnostics = hasDetails ? diagnostics : "";
        if (detailText != null) {
            detailText.setText(this.diagnostics);
            detailText.setVisible(false);
            detailText.setManaged(false);
        }
        copy.setVisible(false);
        copy.setManaged(false);
    }
}
