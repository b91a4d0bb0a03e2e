package se.lu.lunarc.otp.ui.account;

import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;
import se.lu.lunarc.otp.api.Token;

import java.text.MessageFormat;
import java.util.Optional;
import java.util.ResourceBundle;

/** The small dialogs of the token actions: rename, synchronize (two codes), revoke (naming the token). */
final class TokenDialogs {
    private final ResourceBundle rb;
    private final Window owner;

    TokenDialogs(ResourceBundle rb, Window owner) {
        this.rb = rb;
        this.owner = owner;
    }

    Optional<String> rename(Token t) {
        TextField name = new TextField(t.name());
        name.setAccessibleText(rb.getString("dialog.rename.field"));
        name.setId("rename-field");
        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.addRow(0, new Label(rb.getString("dialog.rename.field")), name);
        return ask(rb.getString("dialog.rename.title"), MessageFormat.format(rb.getString("dialog.rename.text"), t.name()),
                grid, name).map(ok -> name.getText());
    }

    /** Two consecutive codes, or empty when cancelled. */
    Optional<String[]> resync(Token t) {
        TextField first = codeField("resync-code1", rb.getString("dialog.resync.code1"), t.digits());
        TextField second = codeField("resync-code2", rb.getString("dialog.resync.code2"), t.digits());
        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        grid.addRow(0, new Label(rb.getString("dialog.resync.code1")), first);
        grid.addRow(1, new Label(rb.getString("dialog.resync.code2")), second);
        Optional<ButtonType> answer = ask(rb.getString("dialog.resync.title"),
                MessageFormat.format(rb.getString("dialog.resync.text"), t.name()), grid, first);
        String[] codes = {first.getText(), second.getText()};
        first.clear();
        second.clear();
        return answer.map(ok -> codes);
    }

    boolean confirmRevoke(Token t) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION);
        a.initOwner(owner);
        a.setTitle(rb.getString("dialog.revoke.title"));
        a.setHeaderText(MessageFormat.format(rb.getString("dialog.revoke.header"), t.name()));
        a.setContentText(rb.getString("dialog.revoke.text"));
        ButtonType revoke = new ButtonType(rb.getString("dialog.revoke.confirm"), ButtonBar.ButtonData.OK_DONE);
        ButtonType cancel = new ButtonType(rb.getString("dialog.cancel"), ButtonBar.ButtonData.CANCEL_CLOSE);
        a.getButtonTypes().setAll(cancel, revoke);
        return a.showAndWait().filter(revoke::equals).isPresent();
    }

    /** A field for one code of a token whose codes have {@code digits} digits (6 for apps, up to 8). */
    private TextField codeField(String id, String accessible, int digits) {
        TextField f = new TextField();
        f.setId(id);
        f.setAccessibleText(accessible);
        int most = Math.max(6, digits);
        f.setTextFormatter(new TextFormatter<String>(c -> c.getControlNewText().matches("\\d{0," + most + "}") ? c
                : null));
        f.setPrefColumnCount(most + 2);
        return f;
    }

    private Optional<ButtonType> ask(String title, String header, Node content, Node focus) {
        Dialog<ButtonType> d = new Dialog<>();
        d.initOwner(owner);
        d.setTitle(title);
        d.setHeaderText(header);
        d.getDialogPane().setContent(content);
        ButtonType ok = new ButtonType(rb.getString("dialog.ok"), ButtonBar.ButtonData.OK_DONE);
        ButtonType cancel = new ButtonType(rb.getString("dialog.cancel"), ButtonBar.ButtonData.CANCEL_CLOSE);
        d.getDialogPane().getButtonTypes().setAll(cancel, ok);
        d.setOnShown(e -> focus.requestFocus());
        return d.showAndWait().filter(ok::equals);
    }
}
