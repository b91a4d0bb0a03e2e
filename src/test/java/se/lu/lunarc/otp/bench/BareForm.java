package se.lu.lunarc.otp.bench;

import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import se.lu.lunarc.otp.ui.StartupProbe;

/**
 * The yardstick of the startup benchmark: a bare JavaFX login form (one Stage, two fields, a checkbox, a
 * button), measured to its first frame by the same probe as the wizard.
 */
public final class BareForm {
    private BareForm() {}

    public static void main(String[] args) {
        Platform.setImplicitExit(true);
        Platform.startup(() -> {
            Stage stage = new Stage();
            VBox form = new VBox(8, new TextField(), new PasswordField(), new CheckBox("I am a human"),
                    new Button("Proceed"));
            form.setPadding(new Insets(16));
            stage.setScene(new Scene(form, 780, 540));
            stage.setTitle("Bare form");
            stage.setOnHidden(e -> Platform.exit());
            stage.show();
            StartupProbe.closeAfterFirstFrame(stage);
        });
    }
}
